package dev.cohort.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RunStore} backend must show, run against a real database by each
 * subclass: {@link SqliteRunStoreTest} and {@link PostgresqlRunStoreTest}. Each test gets a new,
 * empty store. Crash safety across processes is {@link CrashSafetyTest}'s.
 */
abstract class RunStoreContract {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T06:00:00Z"), ZoneOffset.UTC);

  /** The URL of a new, empty store. */
  abstract String newStoreUrl() throws Exception;

  /** The JDBC URL to reach the same database directly, for tests that tamper with it. */
  abstract String rawJdbcUrl(String storeUrl);

  String url;
  RunStore store;

  @BeforeEach
  void openStore() throws Exception {
    url = newStoreUrl();
    store = RunStore.open(url, CLOCK);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /* --- runs --- */

  @Test
  void createRun_isRunningWithItsConfigAndSeed() {
    Run run = store.createRun("fmnist", "[federation]\nrounds = 3\n", 42);

    assertThat(run.id()).isPositive();
    assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.run(run.id())).contains(run);
    assertThat(run.createdAt()).isEqualTo(CLOCK.instant());
  }

  @Test
  void runs_newestFirst() {
    Run a = store.createRun("a", "", 1);
    Run b = store.createRun("b", "", 2);

    assertThat(store.runs()).extracting(Run::id).containsExactly(b.id(), a.id());
  }

  @Test
  void run_unknown_isEmpty() {
    assertThat(store.run(999)).isEmpty();
    assertThatThrownBy(() -> store.resume(999)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no run 999");
  }

  @Test
  void finishRun_recordsStatusAndReasonAndRefusesMoreRounds() {
    Run run = store.createRun("r", "", 1);
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 100));

    store.finishRun(run.id(), RunStatus.STOPPED, "privacy budget exhausted");

    Run finished = store.run(run.id()).orElseThrow();
    assertThat(finished.status()).isEqualTo(RunStatus.STOPPED);
    assertThat(finished.stopReason()).contains("privacy budget exhausted");
    assertThatThrownBy(() -> store.commitRound(run.id(), TestPayloads.round(2), TestPayloads.checkpoint(2, 100)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
    assertThatThrownBy(() -> store.finishRun(run.id(), RunStatus.COMPLETED, "again"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already finished as STOPPED");
    assertThatThrownBy(() -> store.finishRun(run.id(), RunStatus.RUNNING, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /* --- commit and resume --- */

  @Test
  void resume_withoutRounds_startsAtRoundOne() {
    Run run = store.createRun("r", "", 1);

    ResumePoint resume = store.resume(run.id());

    assertThat(resume.lastRound()).isZero();
    assertThat(resume.nextRound()).isEqualTo(1);
    assertThat(resume.checkpoint()).isEmpty();
    assertThat(resume.privacySpent()).isEmpty();
  }

  @Test
  void commitRound_thenResume_returnsLastRoundItsCheckpointAndPrivacy() {
    Run run = store.createRun("r", "", 1);
    for (int r = 1; r <= 3; r++) {
      store.commitRound(run.id(), TestPayloads.round(r), TestPayloads.checkpoint(r, 5000 + r));
    }

    ResumePoint resume = store.resume(run.id());

    assertThat(resume.lastRound()).isEqualTo(3);
    assertThat(resume.checkpointRound()).isEqualTo(3);
    Checkpoint cp = resume.checkpoint().orElseThrow();
    assertThat(cp.model().toByteArray()).isEqualTo(TestPayloads.bytes(3, 5003));
    assertThat(cp.strategyState().toByteArray()).isEqualTo(TestPayloads.bytes(1003, 64));
    assertThat(cp.accountantState().toByteArray()).isEqualTo(TestPayloads.bytes(2003, 32));
    assertThat(resume.privacySpent().orElseThrow().epsilon()).isCloseTo(0.3, within(1e-12));
  }

  @Test
  void resume_afterSkippedRound_givesTheEarlierCheckpoint() {
    Run run = store.createRun("r", "", 1);
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 100));
    store.commitRound(run.id(), RoundRecord.skipped(2, "1 of 3 clients connected, min_clients = 2").build());

    ResumePoint resume = store.resume(run.id());

    assertThat(resume.lastRound()).isEqualTo(2);
    assertThat(resume.checkpointRound()).isEqualTo(1);
    assertThat(resume.checkpoint().orElseThrow().model().toByteArray()).isEqualTo(TestPayloads.bytes(1, 100));
  }

  @Test
  void commitRound_sameRoundTwice_isRefusedAndLeavesTheFirst() {
    Run run = store.createRun("r", "", 1);
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 100));

    assertThatThrownBy(() -> store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(99, 100)))
        .isInstanceOfSatisfying(RoundAlreadyCommittedException.class, e -> {
          assertThat(e.round()).isEqualTo(1);
          assertThat(e.lastCommitted()).isEqualTo(1);
        });
    assertThat(store.rounds(run.id())).hasSize(1);
    assertThat(store.checkpoint(run.id(), 1).orElseThrow().model().toByteArray())
        .isEqualTo(TestPayloads.bytes(1, 100));
  }

  @Test
  void commitRound_earlierRound_isRefused() {
    Run run = store.createRun("r", "", 1);
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 100));
    store.commitRound(run.id(), TestPayloads.round(2), TestPayloads.checkpoint(2, 100));

    assertThatThrownBy(() -> store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 100)))
        .isInstanceOf(RoundAlreadyCommittedException.class).hasMessageContaining("last committed round: 2");
  }

  @Test
  void commitRound_skippingANumber_isRefused() {
    Run run = store.createRun("r", "", 1);

    assertThatThrownBy(() -> store.commitRound(run.id(), TestPayloads.round(2), TestPayloads.checkpoint(2, 100)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("next round to commit is 1, not 2");
    assertThat(store.rounds(run.id())).isEmpty();
  }

  @Test
  void commitRound_completedWithoutCheckpoint_isRefused() {
    Run run = store.createRun("r", "", 1);

    assertThatThrownBy(() -> store.commitRound(run.id(), TestPayloads.round(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a checkpoint");
  }

  @Test
  void commitRound_unknownRun_isRefused() {
    assertThatThrownBy(() -> store.commitRound(77, TestPayloads.round(1), TestPayloads.checkpoint(1, 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no run 77");
  }

  @Test
  void commitRound_payloadFailingMidway_writesNothingAndTheRoundCanBeCommittedAgain() throws Exception {
    Run run = store.createRun("r", "", 1);
    Payload failing = new Payload() {
      @Override
      public long size() {
        return 3L * Payload.CHUNK_BYTES;
      }

      @Override
      public InputStream openStream() throws IOException {
        InputStream real = TestPayloads.generated(5, size()).openStream();
        return new InputStream() {
          long read;

          @Override
          public int read() throws IOException {
            if (++read > 2L * Payload.CHUNK_BYTES + 17) {
              throw new IOException("disk went away");
            }
            return real.read();
          }
        };
      }
    };

    assertThatThrownBy(() -> store.commitRound(run.id(), TestPayloads.round(1), Checkpoint.ofModel(failing)))
        .hasMessageContaining("disk went away");

    assertThat(store.rounds(run.id())).isEmpty();
    assertThat(store.resume(run.id()).lastRound()).isZero();
    assertThat(chunkRows()).isZero();
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 100));
    assertThat(store.resume(run.id()).lastRound()).isEqualTo(1);
  }

  @Test
  void commitRound_payloadShorterThanDeclared_isRefused() {
    Run run = store.createRun("r", "", 1);
    Payload lying = new Payload() {
      @Override
      public long size() {
        return 1000;
      }

      @Override
      public InputStream openStream() {
        return new java.io.ByteArrayInputStream(new byte[999]);
      }
    };

    assertThatThrownBy(() -> store.commitRound(run.id(), TestPayloads.round(1), Checkpoint.ofModel(lying)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared 1000 bytes but had 999");
    assertThat(store.rounds(run.id())).isEmpty();
  }

  /* --- what is read back --- */

  @Test
  void rounds_roundTripEveryField() {
    Run run = store.createRun("r", "", 1);
    RoundRecord first = RoundRecord.completed(1).accuracy(0.8125).loss(0.5).seconds(12.5)
        .participant(Participant.contributed("site-b")).participant(Participant.contributed("site-a"))
        .participant(Participant.failed("site-c", "rejected", "update has NaN values"))
        .privacySpent(0.75, 1e-5).measurement("clip_norm", 1.5).measurement("not_measured", Double.NaN).build();
    RoundRecord second = RoundRecord.aborted(2, "all 3 clients failed")
        .participant(Participant.failed("site-a", "timeout", "deadline 30 s passed")).seconds(30).build();
    store.commitRound(run.id(), first, TestPayloads.checkpoint(1, 10));
    store.commitRound(run.id(), second);

    List<RoundRecord> rounds = store.rounds(run.id());

    assertThat(rounds).hasSize(2);
    RoundRecord r1 = rounds.get(0);
    assertThat(r1.accuracy()).hasValue(0.8125);
    assertThat(r1.participants()).isEqualTo(first.participants());
    assertThat(r1.contributors()).isEqualTo(2);
    assertThat(r1.privacySpent()).isEqualTo(first.privacySpent());
    assertThat(r1.measurements()).containsEntry("clip_norm", 1.5).containsKey("not_measured");
    assertThat(r1.measurements().get("not_measured")).isNaN();
    assertThat(r1).isEqualTo(first); // boxed NaN equals itself
    assertThat(rounds.get(1)).isEqualTo(second);
  }

  @Test
  void history_hasTheRunItsRoundsAndTheLastPrivacySpent() {
    Run run = store.createRun("r", "cfg", 7);
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 10));
    store.commitRound(run.id(), RoundRecord.skipped(2, "too few clients").build());

    RunHistory history = store.history(run.id());

    assertThat(history.run().seed()).isEqualTo(7);
    assertThat(history.rounds()).extracting(RoundRecord::number).containsExactly(1, 2);
    assertThat(history.privacySpent()).contains(new PrivacySpent(0.1, 1e-5));
  }

  @Test
  void checkpoint_cnnSized_roundTripsExactly() {
    Run run = store.createRun("r", "", 1);
    byte[] model = TestPayloads.bytes(11, 6_600_000);
    store.commitRound(run.id(), TestPayloads.round(1), Checkpoint.ofModel(Payload.of(model)));

    Checkpoint cp = store.checkpoint(run.id(), 1).orElseThrow();

    assertThat(cp.model().size()).isEqualTo(model.length);
    assertThat(Arrays.equals(cp.model().toByteArray(), model)).isTrue();
    assertThat(cp.strategyState().size()).isZero();
    assertThat(cp.strategyState().toByteArray()).isEmpty();
  }

  @Test
  void checkpoint_hundredsOfMegabytes_streamsBothWaysInAHeapOfFarLess() throws Exception {
    long size = 200L * 1024 * 1024 + 12345;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        LargeCheckpointWorker.class.getName(), url, Long.toString(size)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor()).as(output).isZero();
    List<String> lines = output.lines().toList();
    assertThat(lines).as(output).contains("size " + size);
    String written = lines.stream().filter(l -> l.startsWith("written ")).findFirst().orElseThrow();
    assertThat(lines).as(output).contains("read " + written.substring("written ".length()));
  }

  @Test
  void checkpoint_tamperedChunk_isReportedWhenRead() throws Exception {
    Run run = store.createRun("r", "", 1);
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 3000));
    try (Connection c = DriverManager.getConnection(rawJdbcUrl(url));
        PreparedStatement p = c.prepareStatement("UPDATE checkpoint_chunks SET data = ? WHERE part = 'model'")) {
      p.setBytes(1, TestPayloads.bytes(99, 3000));
      p.executeUpdate();
    }

    Payload model = store.checkpoint(run.id(), 1).orElseThrow().model();

    assertThatThrownBy(() -> TestPayloads.sha256(model)).isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt");
  }

  /* --- migrations --- */

  @Test
  void open_again_keepsDataAndAppliesNoMigrationTwice() throws Exception {
    Run run = store.createRun("r", "", 1);
    store.commitRound(run.id(), TestPayloads.round(1), TestPayloads.checkpoint(1, 10));
    store.close();

    store = RunStore.open(url, CLOCK);
    try (RunStore third = RunStore.open(url, CLOCK)) {
      assertThat(third.resume(run.id()).lastRound()).isEqualTo(1);
    }

    assertThat(store.resume(run.id()).lastRound()).isEqualTo(1);
    try (Connection c = DriverManager.getConnection(rawJdbcUrl(url));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, COUNT(*) FROM schema_version GROUP BY version ORDER BY version")) {
      List<Integer> versions = new ArrayList<>();
      while (rs.next()) {
        versions.add(rs.getInt(1));
        assertThat(rs.getInt(2)).isEqualTo(1);
      }
      assertThat(versions).containsExactly(1);
    }
  }

  @Test
  void open_databaseNewerThanTheCode_isRefusedWithBothVersions() throws Exception {
    store.close();
    try (Connection c = DriverManager.getConnection(rawJdbcUrl(url));
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)");
    }

    assertThatThrownBy(() -> RunStore.open(url, CLOCK)).isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99").hasMessageContaining("knows versions up to 1");
    store = RunStore.open(newStoreUrl(), CLOCK); // for closeStore()
  }

  @Test
  void open_concurrentlyOnANewDatabase_migratesOnce() throws Exception {
    String fresh = newStoreUrl();
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 4; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
          try (RunStore s = RunStore.open(fresh, CLOCK)) {
            s.createRun("r", "", 1);
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }

    assertThat(errors).isEmpty();
    try (Connection c = DriverManager.getConnection(rawJdbcUrl(fresh));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    try (RunStore s = RunStore.open(fresh, CLOCK)) {
      assertThat(s.runs()).hasSize(4);
    }
  }

  /* --- concurrency --- */

  @Test
  void concurrentReaders_alwaysSeeWholeRounds() throws Exception {
    Run run = store.createRun("r", "", 1);
    int rounds = 25;
    AtomicBoolean writing = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger reads = new AtomicInteger();
    // Each reader has read once before the writer starts: opening a store takes longer than
    // committing all the rounds, so a latch counted down before the first read let the writer
    // finish before any reader had looked.
    CountDownLatch started = new CountDownLatch(3);
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread t = Thread.ofPlatform().start(() -> {
        boolean counted = false;
        try (RunStore reader = RunStore.open(url, CLOCK)) {
          do {
            ResumePoint resume = reader.resume(run.id());
            assertThat(resume.checkpointRound()).isEqualTo(resume.lastRound());
            if (resume.lastRound() > 0) {
              assertThat(resume.checkpoint().orElseThrow().model().toByteArray())
                  .isEqualTo(TestPayloads.bytes(resume.lastRound(), 20_000 + resume.lastRound()));
              assertThat(resume.privacySpent().orElseThrow().epsilon())
                  .isCloseTo(0.1 * resume.lastRound(), within(1e-9));
            }
            List<RoundRecord> seen = reader.rounds(run.id());
            for (int k = 0; k < seen.size(); k++) {
              assertThat(seen.get(k).number()).isEqualTo(k + 1);
              assertThat(seen.get(k).participants()).hasSize(3);
            }
            reads.incrementAndGet();
            if (!counted) {
              started.countDown();
              counted = true;
            }
          } while (writing.get());
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          if (!counted) {
            started.countDown();
          }
        }
      });
      readers.add(t);
    }
    started.await();
    for (int r = 1; r <= rounds; r++) {
      store.commitRound(run.id(), TestPayloads.round(r), TestPayloads.checkpoint(r, 20_000 + r));
    }
    writing.set(false);
    for (Thread t : readers) {
      t.join();
    }

    assertThat(errors).isEmpty();
    assertThat(reads.get()).isPositive();
    assertThat(store.rounds(run.id())).hasSize(rounds);
  }

  @Test
  void commitRound_racingWriters_eachRoundHasExactlyOneWinner() throws Exception {
    Run run = store.createRun("r", "", 1);
    int writers = 3;
    int rounds = 8;
    int[][] won = new int[writers][rounds + 1];
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      threads.add(Thread.ofPlatform().start(() -> {
        try (RunStore s = RunStore.open(url, CLOCK)) {
          go.await();
          for (int r = 1; r <= rounds; r++) {
            try {
              s.commitRound(run.id(), TestPayloads.round(r), TestPayloads.checkpoint(100 * (writer + 1) + r, 1000));
              won[writer][r] = 1;
            } catch (RoundAlreadyCommittedException lost) {
              // Another writer committed round r first.
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }

    assertThat(errors).isEmpty();
    assertThat(store.rounds(run.id())).extracting(RoundRecord::number)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, rounds).boxed().toList());
    for (int r = 1; r <= rounds; r++) {
      int winners = 0;
      int winner = -1;
      for (int w = 0; w < writers; w++) {
        winners += won[w][r];
        if (won[w][r] == 1) {
          winner = w;
        }
      }
      assertThat(winners).as("writers that committed round %d", r).isEqualTo(1);
      assertThat(store.checkpoint(run.id(), r).orElseThrow().model().toByteArray())
          .isEqualTo(TestPayloads.bytes(100 * (winner + 1) + r, 1000));
    }
  }

  /* --- lifecycle --- */

  @Test
  void close_thenUse_isRefused() {
    store.close();

    assertThatThrownBy(() -> store.runs()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void url_hasNoPassword() {
    assertThat(store.url()).doesNotContain("secret");
    assertThat(store.toString()).contains(store.url());
  }

  private long chunkRows() throws Exception {
    try (Connection c = DriverManager.getConnection(rawJdbcUrl(url));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM checkpoint_chunks")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
