package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.Schema;
import dev.cohort.privacy.aggregate.DpMeanFactory;
import dev.cohort.privacy.state.StateCodec;
import dev.cohort.store.RoundRecord;
import dev.cohort.store.RunStatus;
import dev.cohort.store.RunStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Crash-safe resume through the command line: {@code cohort sim --store sqlite:... --json} runs in a
 * child JVM, is killed with SIGKILL ({@link Process#destroyForcibly()}) once it has committed two
 * rounds, and the same command with {@code --resume RUN_ID} finishes the run (in this JVM). The store
 * then holds every round exactly once, and the run ends as the uninterrupted run with the same seed
 * does: the same global model bit for bit without privacy; with client-level DP (whose noise is not
 * replayed) the same privacy spent, in the checkpointed accountant and in the ledger, each round charged
 * once, and the adaptive clipping norm carried across the kill.
 */
class SimResumeTest {
  private static final int ROUNDS = 8;

  @TempDir Path dir;
  private Path config;
  private String url;

  @BeforeEach
  void writeData() throws Exception {
    Path csv = dir.resolve("blobs.csv");
    StringBuilder sb = new StringBuilder();
    for (int f = 0; f < 16; f++) {
      sb.append('f').append(f).append(',');
    }
    sb.append("label\n");
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 2400; i++) {
      int label = i % 4;
      for (int f = 0; f < 16; f++) {
        sb.append(String.format(Locale.ROOT, "%.3f,", (f % 4 == label ? 1.0 : 0.0) + rng.nextGaussian()));
      }
      sb.append("c").append(label).append('\n');
    }
    Files.writeString(csv, sb);
    config = dir.resolve("crash.toml");
    Files.writeString(config, """
        [data]
        dataset = "csv"
        path = "%s"
        partition = "dirichlet"
        alpha = 1.0
        clients = 8
        seed = 3

        [model]
        kind = "mlp"
        hidden = [32]

        [train]
        epochs = 2
        batch_size = 16
        learning_rate = 0.1

        [federation]
        rounds = %d
        fraction = 0.5
        min_clients = 2
        parallelism = 1
        """.formatted(csv.toString().replace("\\", "\\\\"), ROUNDS));
    url = "sqlite:" + dir.resolve("runs.db");
  }

  @Test
  void killedAfterTwoRounds_resumesToTheUninterruptedRunsModel() throws Exception {
    long straight = runToTheEnd(List.of());
    long killed = startAndKill(List.of());
    Cli resumed = cli(List.of("--resume", Long.toString(killed)));
    assertThat(resumed.exit).as(resumed.err).isZero();
    assertThat(resumed.err).contains("resuming after round");

    try (RunStore store = RunStore.open(url)) {
      assertEveryRoundOnce(store, killed);
      assertThat(store.checkpoint(killed, ROUNDS).orElseThrow().model().toByteArray())
          .isEqualTo(store.checkpoint(straight, ROUNDS).orElseThrow().model().toByteArray());
      assertThat(store.checkpoint(killed, ROUNDS).orElseThrow().strategyState().toByteArray())
          .isEqualTo(store.checkpoint(straight, ROUNDS).orElseThrow().strategyState().toByteArray());
      assertThat(store.rounds(killed)).extracting(r -> r.accuracy().getAsDouble())
          .isEqualTo(store.rounds(straight).stream().map(r -> r.accuracy().getAsDouble()).toList());
    }
    JsonNode shown = new ObjectMapper().readTree(cli("runs", "show", "--store", url, "--run", Long.toString(killed),
        "--json").out);
    assertThat(shown.get("rounds")).extracting(r -> r.get("number").asInt())
        .containsExactlyElementsOf(IntStream.rangeClosed(1, ROUNDS).boxed().toList());
    assertThat(shown.get("run").get("status").asText()).isEqualTo("completed");
  }

  @Test
  void killedWithClientLevelDp_chargesEveryRoundOnceAsTheUninterruptedRun() throws Exception {
    List<String> dp = List.of("--set", "privacy.mode=client-level", "--set", "privacy.epsilon=50",
        "--set", "privacy.delta=0.01", "--set", "privacy.clipping_norm=1.0", "--set", "privacy.adaptive_clipping=true");
    Path straightLedger = dir.resolve("straight-ledger.tsv");
    Path killedLedger = dir.resolve("killed-ledger.tsv");
    long straight = runToTheEnd(with(dp, "privacy.ledger=" + straightLedger));
    List<String> killedArgs = with(dp, "privacy.ledger=" + killedLedger);
    long killed = startAndKill(killedArgs);
    List<String> resume = new ArrayList<>(killedArgs);
    resume.addAll(List.of("--resume", Long.toString(killed)));
    Cli resumed = cli(resume);
    assertThat(resumed.exit).as(resumed.err).isZero();

    try (RunStore store = RunStore.open(url)) {
      assertEveryRoundOnce(store, killed);
      assertThat(store.checkpoint(killed, ROUNDS).orElseThrow().accountantState().toByteArray())
          .isEqualTo(store.checkpoint(straight, ROUNDS).orElseThrow().accountantState().toByteArray());
      assertThat(store.history(killed).privacySpent()).isEqualTo(store.history(straight).privacySpent());
      assertThat(store.history(killed).privacySpent().orElseThrow().epsilon()).isPositive();
      // The adaptive clipping norm crosses the kill: each round clips with the norm checkpointed after the last.
      List<RoundRecord> rounds = store.rounds(killed);
      for (int r = 2; r <= ROUNDS; r++) {
        byte[] state = store.checkpoint(killed, r - 1).orElseThrow().strategyState().toByteArray();
        double norm = ((DpMeanFactory.ClipState) StateCodec.decodeAggregation(state)).norm();
        assertThat(rounds.get(r - 1).measurements().get("dp.clip_norm")).as("round %d", r).isEqualTo(norm);
      }
    }
    Map<String, List<Integer>> charged = ledgerRounds(killedLedger);
    assertThat(charged).hasSize(8).isEqualTo(ledgerRoundsRenamed(straightLedger, charged));
    for (List<Integer> rounds : charged.values()) {
      assertThat(rounds).containsExactlyElementsOf(IntStream.rangeClosed(1, ROUNDS).boxed().toList());
    }
  }

  /* --- refusals: one line, exit 2 --- */

  @Test
  void resume_withAnotherConfiguration_isRefusedNamingTheSetting() throws Exception {
    long id;
    try (RunStore store = RunStore.open(url)) {
      Config c = Config.load(Schema.simulation(), config, List.of());
      id = store.createRun("crash", c.toToml().replace("rounds = " + ROUNDS, "rounds = 3"), 3).id();
    }
    Cli r = cli(List.of("--resume", Long.toString(id)));
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err.strip()).endsWith("run " + id + " was started with a different configuration: federation.rounds = 3 "
        + "then, " + ROUNDS + " now; resume it with the configuration it was started with");
  }

  @Test
  void resume_finishedOrUnknownRun_isRefused() throws Exception {
    long id;
    try (RunStore store = RunStore.open(url)) {
      id = store.createRun("done", "", 3).id();
      store.finishRun(id, RunStatus.STOPPED, "operator");
    }
    Cli finished = cli(List.of("--resume", Long.toString(id)));
    assertThat(finished.exit).isEqualTo(2);
    assertThat(finished.err).contains("run " + id + " is stopped (operator); only a running run can be resumed");
    Cli unknown = cli(List.of("--resume", "99"));
    assertThat(unknown.exit).isEqualTo(2);
    assertThat(unknown.err).contains("run 99 is not in the store");
  }

  @Test
  void badStoreUrlOrMissingStore_isAUsageError() {
    Cli bad = cli("sim", "--config", config.toString(), "--store", "mysql://x");
    assertThat(bad.exit).isEqualTo(2);
    assertThat(bad.err).contains("unsupported store URL");
    Cli resumeAlone = cli("sim", "--config", config.toString(), "--resume", "1");
    assertThat(resumeAlone.exit).isEqualTo(2);
    assertThat(resumeAlone.err).contains("--resume needs --store URL");
    Cli show = cli("runs", "show", "--store", url, "--run", "5");
    assertThat(show.exit).isEqualTo(2);
    assertThat(show.err).contains("run 5 is not in the store");
  }

  @Test
  void runsShow_withoutStore_readsTheDefaultStoreOrSaysItIsMissing() {
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of(".cohort", "cohort-runs.db")),
        "a default store exists in the working directory");
    Cli show = cli("runs", "show");
    assertThat(show.exit).isEqualTo(2);
    assertThat(show.err).contains("no run store at the default sqlite:").contains("cohort-runs.db")
        .contains("--store URL");
  }

  @Test
  void runsShow_listsRunsAndOneRunsRoundsWithParticipants() throws Exception {
    Cli sim = cli(List.of("--set", "federation.rounds=2", "--name", "short"));
    assertThat(sim.exit).as(sim.err).isZero();
    assertThat(new ObjectMapper().readTree(sim.out.strip()).get("run_id").asLong()).isEqualTo(1);
    Cli list = cli("runs", "show", "--store", url);
    assertThat(list.exit).isZero();
    assertThat(list.out).contains("completed").contains("short (ran all 2 rounds)");
    Cli one = cli("runs", "show", "--store", url, "--run", "1");
    assertThat(one.out).contains("run 1 \"short\": completed").contains("4/4").contains("privacy spent: not accounted");
    JsonNode json = new ObjectMapper().readTree(cli("runs", "show", "--store", url, "--run", "1", "--json").out);
    assertThat(json.get("rounds").get(0).get("participants")).hasSize(4);
    assertThat(json.get("run").get("config").asText()).contains("[federation]").contains("rounds = 2");
  }

  /* --- helpers --- */

  private static List<String> with(List<String> args, String setting) {
    List<String> out = new ArrayList<>(args);
    out.addAll(List.of("--set", setting));
    return out;
  }

  private long runToTheEnd(List<String> extra) throws Exception {
    Cli r = cli(extra);
    assertThat(r.exit).as(r.err).isZero();
    try (RunStore store = RunStore.open(url)) {
      return store.runs().getFirst().id();
    }
  }

  /** Starts the run in a child JVM, kills it right after round 2 is reported committed; returns its id. */
  private long startAndKill(List<String> extra) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(simArgs(extra));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          seen.add(line);
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // killed
      }
      lines.add("<eof>");
    });
    try {
      while (true) {
        String line = lines.poll(120, TimeUnit.SECONDS);
        if (line == null || line.equals("<eof>")) {
          throw new AssertionError("the child ended or stalled before round 2: " + seen);
        }
        // The console line of a round is printed after the round was committed.
        if (line.startsWith("round 2/" + ROUNDS)) {
          break;
        }
      }
      Thread.sleep(new SplittableRandom().nextInt(40));
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (RunStore store = RunStore.open(url)) {
      long id = store.runs().getFirst().id();
      int committed = store.resume(id).lastRound();
      assertThat(committed).as("rounds committed when killed").isBetween(2, ROUNDS - 1);
      assertThat(store.run(id).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
      return id;
    }
  }

  private static void assertEveryRoundOnce(RunStore store, long run) {
    assertThat(store.rounds(run)).extracting(RoundRecord::number)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, ROUNDS).boxed().toList());
    assertThat(store.rounds(run)).allMatch(r -> r.outcome() == RoundRecord.Outcome.COMPLETED);
    assertThat(store.run(run).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
  }

  /** Holder to the rounds charged to it, from a ledger's keyed lines. */
  private static Map<String, List<Integer>> ledgerRounds(Path ledger) throws Exception {
    Map<String, List<Integer>> out = new HashMap<>();
    for (String line : Files.readAllLines(ledger)) {
      if (line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      assertThat(f).as(line).hasSize(6);
      out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Integer.parseInt(f[5]));
    }
    return out;
  }

  private static Map<String, List<Integer>> ledgerRoundsRenamed(Path ledger, Map<String, List<Integer>> like)
      throws Exception {
    Map<String, List<Integer>> out = ledgerRounds(ledger);
    assertThat(out.keySet()).isEqualTo(like.keySet());
    return out;
  }

  private List<String> simArgs(List<String> extra) {
    List<String> args = new ArrayList<>(List.of("sim", "--config", config.toString(), "--store", url, "--json"));
    args.addAll(extra);
    return args;
  }

  private record Cli(int exit, String out, String err) {}

  private Cli cli(List<String> extra) {
    return cli(simArgs(extra).toArray(String[]::new));
  }

  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.execute(new CommandLine(new Main()), new PrintWriter(out), new PrintWriter(err), args);
      return new Cli(exit, out.toString(), err + errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
  }
}
