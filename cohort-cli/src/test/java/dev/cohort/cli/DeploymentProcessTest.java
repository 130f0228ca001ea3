package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.pki.FederationPki;
import dev.cohort.pki.Role;
import dev.cohort.store.RoundRecord;
import dev.cohort.store.RunStatus;
import dev.cohort.store.RunStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * A deployed federation as separate processes on loopback: {@code cohort server} and several
 * {@code cohort client} JVMs over gRPC with mutual TLS, with failures injected (a client killed
 * mid-run, the server killed with SIGKILL and restarted, certificates that must be refused).
 */
@Timeout(300)
class DeploymentProcessTest {
  private static final int ROUNDS = 6;
  @TempDir Path dir;
  private Path config;
  private Path pki;
  private int port;
  private final List<Proc> procs = Collections.synchronizedList(new ArrayList<>());

  /** Four Gaussian blobs, three holders, six rounds: a few seconds of training in all. */
  @BeforeEach
  void federation() throws Exception {
    Path csv = dir.resolve("blobs.csv");
    StringBuilder sb = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 1500; i++) {
      int label = i % 4;
      for (int f = 0; f < 6; f++) {
        sb.append(String.format(Locale.ROOT, "%.4f,", (f % 4 == label ? 2.0 : 0.0) + rng.nextGaussian() * 0.9));
      }
      sb.append("class-").append(label).append('\n');
    }
    Files.writeString(csv, sb);
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pki = dir.resolve("pki");
    FederationPki ca = FederationPki.init(pki);
    ca.issue("server", Role.SERVER, List.of());
    for (int i = 0; i < 3; i++) {
      ca.issue("client-" + i, Role.CLIENT, List.of());
    }
    config = dir.resolve("federation.toml");
    Files.writeString(config, """
        [data]
        dataset = "csv"
        path = "%s"
        clients = 3
        seed = 5

        [model]
        kind = "mlp"
        hidden = [16]

        [train]
        epochs = 2
        batch_size = 16
        learning_rate = 0.05

        [federation]
        rounds = %d
        fraction = 1.0
        min_clients = 2
        round_timeout_seconds = 30

        [server]
        listen = "127.0.0.1:%d"
        pki = "%s"
        wait_for_clients = 3
        connect_timeout_seconds = 60

        [client]
        server = "127.0.0.1:%d"
        pki = "%s"
        max_backoff_seconds = 1
        """.formatted(csv, ROUNDS, port, pki, port, pki));
  }

  @AfterEach
  void killEverything() {
    procs.forEach(p -> p.process.destroyForcibly());
  }

  /* --- a whole run --- */

  @Test
  void serverAndThreeClientProcesses_completeTheRunOverMutualTls_withTheSimulationsRounds() throws Exception {
    Proc server = start("server", "--config", config.toString(), "--json");
    server.awaitLine("waiting for 3 clients");
    List<Proc> clients = startClients(3, "--json");
    assertThat(server.awaitExit()).as(server.errors()).isZero();
    for (int i = 0; i < 3; i++) {
      Proc c = clients.get(i);
      assertThat(c.awaitExit()).as(c.errors()).isZero();
      JsonNode summary = c.json();
      assertThat(summary.get("exit").asInt()).isZero();
      JsonNode me = summary.get("clients").get(0);
      assertThat(me.get("name").asText()).isEqualTo("client-" + i);
      assertThat(me.get("outcome").asText()).isEqualTo("finished");
      assertThat(me.get("requests").asInt()).as("one fit per round").isEqualTo(ROUNDS);
      assertThat(me.get("bytes_received").asLong()).isPositive();
    }
    JsonNode deployed = server.json();
    JsonNode simulated = simulate();
    assertThat(deployed.get("rounds")).hasSize(ROUNDS);
    for (int r = 0; r < ROUNDS; r++) {
      assertThat(deployed.get("rounds").get(r).get("clients").asInt()).isEqualTo(3);
      assertThat(deployed.get("rounds").get(r).get("loss").asDouble())
          .isEqualTo(simulated.get("rounds").get(r).get("loss").asDouble());
    }
    assertThat(deployed.get("final").get("accuracy").asDouble()).isGreaterThan(0.8)
        .isEqualTo(simulated.get("final").get("accuracy").asDouble());
  }

  @Test
  void oneClientProcessHostingEveryPartition_givesTheSameRunAsThreeProcesses() throws Exception {
    Proc server = start("server", "--config", config.toString(), "--json");
    server.awaitLine("waiting for 3 clients");
    Proc clients = start("client", "--config", config.toString(), "--partition", "1-3/3");
    assertThat(server.awaitExit()).as(server.errors()).isZero();
    assertThat(clients.awaitExit()).as(clients.errors()).isZero();
    assertThat(clients.errors()).contains("3 clients (client-0 .. client-2)");
    assertThat(server.json().get("final").get("accuracy").asDouble())
        .isEqualTo(simulate().get("final").get("accuracy").asDouble());
  }

  @Test
  void secureAggregationOverTheNetwork_givesThePlainRunsAccuracyWithinQuantisation() throws Exception {
    Proc server = start("server", "--config", config.toString(), "--json", "--set", "secure_aggregation.enabled=true");
    server.awaitLine("waiting for 3 clients");
    List<Proc> clients = startClients(3, "--set", "secure_aggregation.enabled=true");
    assertThat(server.awaitExit()).as(server.errors()).isZero();
    for (Proc c : clients) {
      assertThat(c.awaitExit()).as(c.errors()).isZero();
    }
    JsonNode json = server.json();
    for (JsonNode round : json.get("rounds")) {
      assertThat(round.get("secure_aggregation").get("survivors").asInt()).isEqualTo(3);
    }
    assertThat(json.get("final").get("accuracy").asDouble())
        .isCloseTo(simulate().get("final").get("accuracy").asDouble(), org.assertj.core.api.Assertions.within(0.01));
  }

  @Test
  void metricsEndpointAndJsonLogs_reportRoundsClientsAndBytes() throws Exception {
    int metricsPort;
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPort = s.getLocalPort();
    }
    Proc server = start("server", "--config", config.toString(), "--json", "--set", "federation.rounds=20",
        "--metrics", "127.0.0.1:" + metricsPort, "--log-format", "json");
    server.awaitLine("waiting for 3 clients");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + metricsPort;
    assertThat(get(http, base + "/healthz")).isEqualTo("ok");
    assertThat(get(http, base + "/metrics")).contains("cohort_connected_clients 0");
    List<Proc> clients = startClients(3);
    // the console line of a round is printed before the metrics observer counts that round
    server.awaitLine("round 3/20");
    String scrape = get(http, base + "/metrics");
    assertThat(scrape).contains("# TYPE cohort_rounds_total counter").contains("cohort_connected_clients 3")
        .contains("cohort_bytes_received_total{client=\"client-0\"}").contains("cohort_round_seconds_bucket");
    assertThat(counter(scrape, "cohort_rounds_total{outcome=\"completed\"}")).isGreaterThanOrEqualTo(2);
    assertThat(server.awaitExit()).as(server.errors()).isZero();
    for (Proc c : clients) {
      assertThat(c.awaitExit()).isZero();
    }
    long roundEvents = server.err.stream().filter(l -> l.startsWith("{")).map(l -> {
      try {
        return new ObjectMapper().readTree(l);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + l, e);
      }
    }).filter(j -> "round_ended".equals(j.path("event").asText())).count();
    assertThat(roundEvents).isEqualTo(20);
  }

  private static String get(java.net.http.HttpClient http, String url) throws Exception {
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body().strip();
  }

  private static double counter(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(
        series.length() + 1).trim())).findFirst().orElse(-1);
  }

  /* --- failures --- */

  @Test
  void clientKilledMidRun_theRoundsGoOnWithTheOthersAfterTheGrace_andTheRestartedClientRejoins() throws Exception {
    int rounds = 8;
    Proc server = start("server", "--config", config.toString(), "--json", "--set", "federation.rounds=" + rounds,
        "--set", "server.round_wait_seconds=5", "--set", "server.rejoin_grace_seconds=1");
    server.awaitLine("waiting for 3 clients");
    List<Proc> clients = startClients(3);
    server.awaitLine("round 2/" + rounds);
    clients.get(2).process.destroyForcibly();
    server.awaitLine("clients 2/");
    Proc again = start("client", "--config", config.toString(), "--name", "client-2", "--partition", "3/3");
    assertThat(server.awaitExit()).as(server.errors()).isZero();
    JsonNode all = server.json().get("rounds");
    assertThat(all).hasSize(rounds).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("completed"));
    List<Integer> counts = new ArrayList<>();
    all.forEach(r -> counts.add(r.get("clients").asInt()));
    assertThat(counts).as("a round went on without the killed client").contains(2);
    assertThat(counts.get(rounds - 1)).as("the restarted client is served again: %s\n%s\n%s", counts, again.errors(),
        server.errors()).isEqualTo(3);
    for (Proc c : List.of(clients.get(0), clients.get(1), again)) {
      assertThat(c.awaitExit()).as(c.errors()).isZero();
    }
  }

  @Test
  void clientKilledMidRoundAndRestartedInTime_isServedThatSameRound() throws Exception {
    int rounds = 4;
    Proc server = start("server", "--config", config.toString(), "--json", "--set", "federation.rounds=" + rounds,
        "--set", "server.rejoin_grace_seconds=60");
    server.awaitLine("waiting for 3 clients");
    List<Proc> clients = startClients(3);
    server.awaitLine("round 1/" + rounds);
    // freeze client-2 as round 1 ends, so round 2's request reaches a process that cannot answer it
    signal(clients.get(2).process, "STOP");
    Thread.sleep(2000);
    clients.get(2).process.destroyForcibly();
    clients.get(2).process.waitFor();
    Proc again = start("client", "--config", config.toString(), "--name", "client-2", "--partition", "3/3");
    assertThat(server.awaitExit()).as(server.errors()).isZero();
    JsonNode all = server.json().get("rounds");
    assertThat(all).hasSize(rounds).allSatisfy(r -> {
      assertThat(r.get("status").asText()).isEqualTo("completed");
      assertThat(r.get("clients").asInt()).as("every round, round 2 included, has all three clients: %s", r)
          .isEqualTo(3);
    });
    assertThat(server.errors()).contains("client-2 reconnected in time");
    for (Proc c : List.of(clients.get(0), clients.get(1), again)) {
      assertThat(c.awaitExit()).as(c.errors()).isZero();
    }
  }

  private static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void serverKilledWithSigkillAndRestarted_completesEveryRoundExactlyOnce(String backend) throws Exception {
    String url = backend.equals("sqlite") ? "sqlite:" + dir.resolve("runs.db")
        : dev.cohort.store.PostgresServer.shared().newStoreUrl();
    Proc server = start("server", "--config", config.toString(), "--json", "--store", url);
    server.awaitLine("waiting for 3 clients");
    List<Proc> clients = startClients(3);
    server.awaitLine("round 2/" + ROUNDS);
    server.process.destroyForcibly();
    server.process.waitFor(30, TimeUnit.SECONDS);
    long run;
    try (RunStore store = RunStore.open(url)) {
      run = store.runs().getFirst().id();
      assertThat(store.resume(run).lastRound()).isBetween(2, ROUNDS - 1);
    }
    Proc restarted = start("server", "--config", config.toString(), "--json", "--store", url,
        "--resume", Long.toString(run));
    assertThat(restarted.awaitExit()).as(restarted.errors()).isZero();
    for (Proc c : clients) {
      assertThat(c.awaitExit()).as(c.errors()).isZero();
    }
    try (RunStore store = RunStore.open(url)) {
      assertThat(store.rounds(run)).extracting(RoundRecord::number)
          .containsExactlyElementsOf(IntStream.rangeClosed(1, ROUNDS).boxed().toList());
      assertThat(store.run(run).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void revokedForeignAndUnknownCertificates_areRefused() throws Exception {
    FederationPki ca = FederationPki.open(pki);
    ca.issue("revoked-site", Role.CLIENT, List.of());
    ca.revoke("revoked-site");
    Path foreign = dir.resolve("foreign-pki");
    FederationPki.init(foreign).issue("client-1", Role.CLIENT, List.of());
    Proc server = start("server", "--config", config.toString(), "--json", "--set", "server.wait_for_clients=1",
        "--set", "federation.rounds=1", "--set", "federation.min_clients=1");
    server.awaitLine("waiting for 1 client");
    Proc revoked = start("client", "--config", config.toString(), "--name", "revoked-site", "--partition", "1/3");
    Proc stranger = start("client", "--config", config.toString(), "--name", "client-1", "--pki", foreign.toString(),
        "--partition", "2/3");
    assertThat(revoked.awaitExit()).as(revoked.errors()).isEqualTo(3);
    assertThat(revoked.errors()).contains("refused");
    assertThat(stranger.awaitExit()).as(stranger.errors()).isEqualTo(3);
    Proc nobody = start("client", "--config", config.toString(), "--name", "no-such-site", "--partition", "3/3");
    assertThat(nobody.awaitExit()).isEqualTo(2);
    assertThat(nobody.errors()).contains("no certificate issued to 'no-such-site'");
    Proc good = start("client", "--config", config.toString(), "--name", "client-0", "--partition", "1/3");
    assertThat(server.awaitExit()).as(server.errors()).isZero();
    assertThat(good.awaitExit()).isZero();
    assertThat(server.json().get("rounds").get(0).get("clients").asInt()).isEqualTo(1);
  }

  @Test
  void seededNoiseInADeployedFederation_isRefused() throws Exception {
    Proc server = start("server", "--config", config.toString(), "--set", "privacy.mode=client-level",
        "--set", "privacy.epsilon=3", "--set", "privacy.delta=0.01", "--set", "privacy.noise_seed=1");
    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.errors()).contains("noise_seed").contains("refuses it");
  }

  /* --- helpers --- */

  private List<Proc> startClients(int n, String... extra) throws Exception {
    List<Proc> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> args = new ArrayList<>(List.of("client", "--config", config.toString(), "--name", "client-" + i,
          "--partition", (i + 1) + "/3"));
      args.addAll(List.of(extra));
      out.add(start(args.toArray(String[]::new)));
    }
    return out;
  }

  private JsonNode simulate() throws Exception {
    StringWriter out = new StringWriter();
    int exit = Main.execute(new CommandLine(new Main()), new PrintWriter(out), new PrintWriter(new StringWriter()),
        "sim", "--config", config.toString(), "--json");
    assertThat(exit).isZero();
    String[] lines = out.toString().strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }

  private Proc start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
    Proc proc = new Proc(p);
    procs.add(proc);
    return proc;
  }

  /** A child process with its stderr lines and stdout collected as they come. */
  private static final class Proc {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> err = Collections.synchronizedList(new ArrayList<>());
    final StringBuilder out = new StringBuilder();
    final Thread outReader;

    Proc(Process process) {
      this.process = process;
      Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            err.add(line);
            lines.add(line);
          }
        } catch (java.io.IOException ignored) {
          // the process died
        }
        lines.add("<eof>");
      });
      outReader = Thread.ofPlatform().daemon().start(() -> {
        try {
          String s = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (out) {
            out.append(s);
          }
        } catch (java.io.IOException ignored) {
          // the process died
        }
      });
    }

    void awaitLine(String prefix) throws InterruptedException {
      while (true) {
        String line = lines.poll(120, TimeUnit.SECONDS);
        if (line == null || line.equals("<eof>")) {
          throw new AssertionError("no line containing '" + prefix + "' before the process ended: " + errors());
        }
        if (line.contains(prefix)) {
          return;
        }
      }
    }

    int awaitExit() throws InterruptedException {
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        throw new AssertionError("the process did not end: " + errors());
      }
      return process.exitValue();
    }

    String errors() {
      synchronized (err) {
        return String.join("\n", err);
      }
    }

    JsonNode json() throws Exception {
      outReader.join(10_000);
      String[] all;
      synchronized (out) {
        all = out.toString().strip().split("\n");
      }
      return new ObjectMapper().readTree(all[all.length - 1]);
    }
  }
}
