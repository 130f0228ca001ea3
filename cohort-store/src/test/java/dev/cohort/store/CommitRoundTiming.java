package dev.cohort.store;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test: the time of {@link RunStore#commitRound} with a 2NN-sized (199,210
 * float parameters, 796,840 bytes) and a CNN-sized (1,663,370 parameters, 6,653,480 bytes)
 * checkpoint on SQLite (a file on the build's disk, WAL, synchronous=FULL) and on the test PostgreSQL
 * (fsync on), and of reading the checkpoint back after {@link RunStore#resume}. Median of 15 after 3
 * warm-up rounds. Its name is outside surefire's default includes, so it runs only when named:
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl cohort-store -am verify -Dtest=CommitRoundTiming \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class CommitRoundTiming {
  private static final int WARMUP = 3;
  private static final int MEASURED = 15;
  private static final int[] SIZES = {199_210 * 4, 1_663_370 * 4};


  @Test
  void commitRound_medianMilliseconds() throws Exception {
    Path dir = Path.of("target", "timing").toAbsolutePath();
    java.nio.file.Files.createDirectories(dir);
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "%-10s  %10s  %12s  %10s  %10s  %14s%n",
        "backend", "checkpoint", "commit (ms)", "min (ms)", "max (ms)", "resume+read"));
    for (int size : SIZES) {
      java.nio.file.Path file = dir.resolve("timing-" + size + ".db");
      java.nio.file.Files.deleteIfExists(file);
      java.nio.file.Files.deleteIfExists(Path.of(file + "-wal"));
      java.nio.file.Files.deleteIfExists(Path.of(file + "-shm"));
      report.append(measure("sqlite", "sqlite:" + file, size));
      report.append(measure("postgresql", PostgresServer.shared().newStoreUrl(), size));
    }
    System.out.print(report);
  }

  private static String measure(String backend, String url, int size) {
    try (RunStore store = RunStore.open(url)) {
      long runId = store.createRun("timing", "", 1).id();
      double[] commit = new double[MEASURED];
      double[] read = new double[MEASURED];
      for (int r = 1; r <= WARMUP + MEASURED; r++) {
        Checkpoint cp = new Checkpoint(Payload.of(TestPayloads.bytes(r, size)), Payload.of(new byte[4096]),
            Payload.of(new byte[256]));
        RoundRecord round = TestPayloads.round(r);
        long t0 = System.nanoTime();
        store.commitRound(runId, round, cp);
        long t1 = System.nanoTime();
        byte[] model = store.resume(runId).checkpoint().orElseThrow().model().toByteArray();
        long t2 = System.nanoTime();
        if (model.length != size) {
          throw new AssertionError("read back " + model.length + " bytes");
        }
        if (r > WARMUP) {
          commit[r - WARMUP - 1] = (t1 - t0) / 1e6;
          read[r - WARMUP - 1] = (t2 - t1) / 1e6;
        }
      }
      double[] sorted = commit.clone();
      Arrays.sort(sorted);
      return String.format(Locale.ROOT, "%-10s  %8.2f MB  %12.1f  %10.1f  %10.1f  %11.1f ms%n", backend, size / 1e6,
          median(commit), sorted[0], sorted[sorted.length - 1], median(read));
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
