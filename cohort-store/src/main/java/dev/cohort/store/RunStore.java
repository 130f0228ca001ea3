package dev.cohort.store;

import dev.cohort.store.internal.JdbcRunStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of federated runs: runs, their rounds and participants, and a checkpoint of
 * the global model, the strategy's state and the privacy accountant's state after every completed
 * round, in SQLite (the default: one file, no set-up) or PostgreSQL.
 *
 * <p>Crash safety: {@link #commitRound} writes a round, its participants and its checkpoint in one
 * transaction, so after the process is killed at any moment the store holds either all of the round
 * or none of it. {@link #resume} then names the last committed round and returns its checkpoint;
 * committing a round the store already holds throws {@link RoundAlreadyCommittedException}, so no
 * round is applied twice and the privacy accountant's state always matches the rounds recorded.
 *
 * <pre>{@code
 * try (RunStore store = RunStore.open("sqlite:/var/lib/cohort/runs.db")) {
 *   Run run = store.createRun("fmnist", tomlText, 42);
 *   store.commitRound(run.id(), RoundRecord.completed(1).accuracy(0.71).loss(0.83)
 *       .participant(Participant.contributed("site-a")).build(),
 *       new Checkpoint(Payload.of(modelBytes), Payload.empty(), Payload.of(accountantBytes)));
 *   ResumePoint resume = store.resume(run.id());   // after a restart: resume.nextRound() == 2
 *   store.finishRun(run.id(), RunStatus.COMPLETED, "all rounds ran");
 * }
 * }</pre>
 *
 * <p>Thread-safety: implementations are safe for use by many threads and by several processes on
 * the same database; readers never block the writer. Schema migrations run when a store is opened.
 */
public interface RunStore extends AutoCloseable {

  /**
   * Opens (creating and migrating if needed) the store at {@code url}: {@code sqlite:/path/file.db},
   * {@code jdbc:sqlite:/path/file.db}, a bare file path (SQLite), or
   * {@code jdbc:postgresql://host:port/db?user=..&password=..} ({@code postgresql://} is accepted
   * too).
   *
   * @throws IllegalArgumentException if the URL is not one of these
   * @throws StoreException if the database cannot be reached or its schema is newer than this code;
   *     the message names the URL without its password
   */
  static RunStore open(String url) {
    return open(url, Clock.systemUTC());
  }

  /** The default store: SQLite file {@code cohort-runs.db} in {@code dataDirectory}. */
  static String defaultUrl(Path dataDirectory) {
    return "sqlite:" + dataDirectory.toAbsolutePath().normalize().resolve("cohort-runs.db");
  }

  /** As {@link #open(String)}, with {@code clock} for the runs' and rounds' timestamps. */
  static RunStore open(String url, Clock clock) {
    return JdbcRunStore.open(url, clock);
  }

  /** The store's URL with any password removed, for messages and logs. */
  String url();

  /** Creates a run in status {@link RunStatus#RUNNING}. */
  Run createRun(String name, String config, long seed);

  /** The run {@code runId}, if the store has it. */
  Optional<Run> run(long runId);

  /** All runs, newest first. */
  List<Run> runs();

  /**
   * Records round {@code round.number()} of run {@code runId} with its checkpoint, atomically.
   *
   * @throws RoundAlreadyCommittedException if the run already has that round; nothing is written
   * @throws IllegalArgumentException if the run is unknown or the round is not the one after the last
   *     committed round
   * @throws IllegalStateException if the run is finished
   * @throws StoreException if the database failed; if the connection was lost during the commit
   *     itself the round may or may not be stored, which {@link #resume} tells
   */
  void commitRound(long runId, RoundRecord round, Checkpoint checkpoint);

  /**
   * Records a skipped or aborted round that left the model and the states as they were, atomically.
   * A completed round needs its checkpoint: {@link #commitRound(long, RoundRecord, Checkpoint)}.
   *
   * @throws IllegalArgumentException if {@code round} is completed, or as for the other overload
   */
  void commitRound(long runId, RoundRecord round);

  /**
   * Where run {@code runId} continues: its last committed round and latest checkpoint.
   *
   * @throws IllegalArgumentException if the run is unknown
   */
  ResumePoint resume(long runId);

  /**
   * Marks run {@code runId} finished with {@code status} and {@code reason}; no round can be committed
   * afterwards.
   *
   * @throws IllegalArgumentException if the run is unknown or {@code status} is not a finished one
   * @throws IllegalStateException if the run is already finished
   */
  void finishRun(long runId, RunStatus status, String reason);

  /** The run's committed rounds, by number, with their participants. */
  List<RoundRecord> rounds(long runId);

  /** The run with its rounds. @throws IllegalArgumentException if the run is unknown */
  RunHistory history(long runId);

  /** The checkpoint taken after round {@code round} of run {@code runId}, if there is one. */
  Optional<Checkpoint> checkpoint(long runId, int round);

  /** Releases the store's connections; payloads read from it can no longer be opened. */
  @Override
  void close();
}
