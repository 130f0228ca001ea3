package dev.cohort.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety across real processes: a child JVM ({@link CrashWorker}) commits rounds with 2 MB
 * checkpoints back to back and is killed with SIGKILL ({@link Process#destroyForcibly()}) at a
 * random moment, several times in a row, each time resuming where the store says. After every kill
 * the store must hold a gap-free prefix of rounds including every round the child reported
 * committed, each with its own checkpoint intact, and the next child must continue from it without
 * committing any round twice. The random kill delays come from a seed printed on failure
 * ({@code -Dcohort.store.crashSeed=...} replays one).
 */
class CrashSafetyTest {
  private static final int MODEL_BYTES = 2_000_000;
  private static final int MAX_ROUNDS = 10_000;

  @TempDir
  Path dir;

  @Test
  void sqlite_killedAtRandomMoments_keepsAConsistentPrefixOfRounds() throws Exception {
    String url = "sqlite:" + dir.resolve("crash.db");
    killRepeatedly(url, 5);
    try (Connection c = DriverManager.getConnection("jdbc:" + url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }

  @Test
  void postgresql_killedAtRandomMoments_keepsAConsistentPrefixOfRounds() throws Exception {
    killRepeatedly(PostgresServer.shared().newStoreUrl(), 3);
  }

  private void killRepeatedly(String url, int kills) throws Exception {
    long seed = Long.getLong("cohort.store.crashSeed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    String context = "crash seed " + seed + " (replay with -Dcohort.store.crashSeed=" + seed + ")";
    long runId;
    try (RunStore store = RunStore.open(url)) {
      runId = store.createRun("crash", "[federation]\n", 1).id();
    }
    int midCommit = 0;
    for (int k = 0; k < kills; k++) {
      int before;
      try (RunStore store = RunStore.open(url)) {
        before = store.resume(runId).lastRound();
      }
      Child child = Child.start(url, runId);
      // Let it commit a few rounds, then kill it a random time into the next.
      int target = before + 1 + random.nextInt(3);
      child.awaitCommitted(target, context);
      Thread.sleep(random.nextInt(60));
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).as(context).isTrue();
      child.drain();
      if (child.lastBegun > child.lastCommitted) {
        midCommit++;
      }

      try (RunStore store = RunStore.open(url)) {
        List<RoundRecord> rounds = store.rounds(runId);
        int n = rounds.size();
        assertThat(n).as("rounds after kill %d; %s", k, context)
            .isBetween(child.lastCommitted, Math.max(child.lastBegun, child.lastCommitted));
        for (int i = 0; i < n; i++) {
          RoundRecord r = rounds.get(i);
          assertThat(r.number()).as(context).isEqualTo(i + 1);
          assertThat(r).as(context).isEqualTo(TestPayloads.round(i + 1));
        }
        ResumePoint resume = store.resume(runId);
        assertThat(resume.lastRound()).as(context).isEqualTo(n);
        assertThat(resume.checkpointRound()).as(context).isEqualTo(n);
        assertThat(resume.privacySpent().orElseThrow().epsilon()).as(context).isCloseTo(0.1 * n, within(1e-9));
        for (int r = Math.max(1, before); r <= n; r++) {
          Checkpoint cp = store.checkpoint(runId, r).orElseThrow();
          assertThat(cp.model().toByteArray()).as("model of round %d; %s", r, context)
              .isEqualTo(TestPayloads.bytes(r, MODEL_BYTES));
          assertThat(cp.accountantState().toByteArray()).as(context).isEqualTo(TestPayloads.bytes(2000 + r, 32));
        }
      }
    }
    System.out.printf("%s: %d kills, %d inside a commit; %s%n", url.replaceAll("\\?.*", ""), kills, midCommit,
        context);
    // A last child runs to a fixed end: it resumes after the last kill and commits the rest exactly once.
    try (RunStore store = RunStore.open(url)) {
      int last = store.resume(runId).lastRound();
      Process p = Child.command(url, runId, last + 2).inheritIO().start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(context).isZero();
      assertThat(store.rounds(runId)).extracting(RoundRecord::number).doesNotHaveDuplicates().hasSize(last + 2);
    }
  }

  /** A running {@link CrashWorker} whose output is read on a thread. */
  private static final class Child {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = new ArrayList<>();
    int lastBegun;
    int lastCommitted;

    private Child(Process process) {
      this.process = process;
      Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (java.io.IOException ignored) {
          // The process was killed.
        }
        lines.add("<eof>");
      });
    }

    static ProcessBuilder command(String url, long runId, int maxRounds) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          CrashWorker.class.getName(), url, Long.toString(runId), Integer.toString(MODEL_BYTES),
          Integer.toString(maxRounds)).redirectErrorStream(true);
    }

    static Child start(String url, long runId) throws Exception {
      return new Child(command(url, runId, MAX_ROUNDS).start());
    }

    void awaitCommitted(int round, String context) throws InterruptedException {
      while (lastCommitted < round) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null || line.equals("<eof>")) {
          throw new AssertionError("child ended or stalled before committing round " + round + ": " + all + "; "
              + context);
        }
        take(line);
      }
    }

    void drain() throws InterruptedException {
      String line;
      while (!(line = lines.take()).equals("<eof>")) {
        take(line);
      }
    }

    private void take(String line) {
      all.add(line);
      if (line.startsWith("begin ")) {
        lastBegun = Integer.parseInt(line.substring(6));
      } else if (line.startsWith("committed ")) {
        lastCommitted = Integer.parseInt(line.substring(10));
      }
    }
  }
}
