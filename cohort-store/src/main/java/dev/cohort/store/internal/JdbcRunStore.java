package dev.cohort.store.internal;

import dev.cohort.store.Checkpoint;
import dev.cohort.store.PrivacySpent;
import dev.cohort.store.ResumePoint;
import dev.cohort.store.RoundAlreadyCommittedException;
import dev.cohort.store.RoundRecord;
import dev.cohort.store.Run;
import dev.cohort.store.RunHistory;
import dev.cohort.store.RunStatus;
import dev.cohort.store.RunStore;
import dev.cohort.store.StoreException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RunStore} over JDBC, for SQLite and PostgreSQL. Every public method borrows a pooled
 * connection for its duration; writes are single transactions (see {@link Dialect} for the locking).
 */
public final class JdbcRunStore implements RunStore {
  private static final int MAX_CONNECTIONS = 4;

  private final StoreUrl url;
  private final Dialect dialect;
  private final Clock clock;
  private final ConnectionPool pool;

  private JdbcRunStore(StoreUrl url, Clock clock) {
    this.url = url;
    this.dialect = url.dialect();
    this.clock = clock;
    this.pool = new ConnectionPool(url.redacted(), MAX_CONNECTIONS, () -> dialect.connect(url));
  }

  /** Opens and migrates the store at {@code url}; see {@link RunStore#open(String)}. */
  public static JdbcRunStore open(String url, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    StoreUrl parsed = StoreUrl.parse(url);
    JdbcRunStore store = new JdbcRunStore(parsed, clock);
    Connection c;
    try {
      c = store.pool.acquire();
    } catch (SQLException e) {
      store.close();
      throw new StoreException("cannot open store " + parsed + ": " + describe(e), e);
    }
    boolean ok = false;
    try {
      Migrator.migrate(c, store.dialect, parsed, clock);
      ok = true;
    } catch (SQLException e) {
      throw new StoreException("cannot migrate store " + parsed + ": " + describe(e), e);
    } finally {
      store.pool.release(c, !ok);
      if (!ok) {
        store.close();
      }
    }
    return store;
  }

  @Override
  public String url() {
    return url.redacted();
  }

  /* --- runs --- */

  @Override
  public Run createRun(String name, String config, long seed) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    long now = clock.millis();
    return write("create run " + name, c -> {
      long id;
      try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (name, config, seed, status, created_at, "
          + "updated_at) VALUES (?, ?, ?, 'running', ?, ?) RETURNING id")) {
        p.setString(1, name);
        p.setString(2, config);
        p.setLong(3, seed);
        p.setLong(4, now);
        p.setLong(5, now);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      return new Run(id, name, config, seed, RunStatus.RUNNING, Optional.empty(), Instant.ofEpochMilli(now),
          Instant.ofEpochMilli(now));
    });
  }

  private static final String RUN_COLUMNS =
      "id, name, config, seed, status, stop_reason, created_at, updated_at";

  @Override
  public Optional<Run> run(long runId) {
    return read("read run " + runId, c -> findRun(c, runId));
  }

  private static Optional<Run> findRun(Connection c, long runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?")) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(toRun(rs)) : Optional.empty();
      }
    }
  }

  private Run requireRun(Connection c, long runId) throws SQLException {
    return findRun(c, runId).orElseThrow(() -> unknownRun(runId));
  }

  private IllegalArgumentException unknownRun(long runId) {
    return new IllegalArgumentException("store " + url + " has no run " + runId);
  }

  private static Run toRun(ResultSet rs) throws SQLException {
    return new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
        RunStatus.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)), Optional.ofNullable(rs.getString(6)),
        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)));
  }

  @Override
  public List<Run> runs() {
    return read("list runs", c -> {
      List<Run> runs = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs ORDER BY id DESC");
          ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          runs.add(toRun(rs));
        }
      }
      return runs;
    });
  }

  @Override
  public void finishRun(long runId, RunStatus status, String reason) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    if (!status.isFinished()) {
      throw new IllegalArgumentException("status must be a finished one (completed, failed, stopped) but was " + status);
    }
    write("finish run " + runId, c -> {
      RunStatus current = lockRun(c, runId);
      if (current.isFinished()) {
        throw new IllegalStateException("run " + runId + " is already finished as " + current);
      }
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE runs SET status = ?, stop_reason = ?, updated_at = ? WHERE id = ?")) {
        p.setString(1, status.name().toLowerCase(Locale.ROOT));
        p.setString(2, reason);
        p.setLong(3, clock.millis());
        p.setLong(4, runId);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** Locks the run's row for this transaction and returns its status. */
  private RunStatus lockRun(Connection c, long runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(dialect.lockRunSql())) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw unknownRun(runId);
        }
        return RunStatus.valueOf(rs.getString(1).toUpperCase(Locale.ROOT));
      }
    }
  }

  /* --- rounds --- */

  @Override
  public void commitRound(long runId, RoundRecord round, Checkpoint checkpoint) {
    Objects.requireNonNull(round, "round");
    Objects.requireNonNull(checkpoint, "checkpoint");
    commit(runId, round, Optional.of(checkpoint));
  }

  @Override
  public void commitRound(long runId, RoundRecord round) {
    Objects.requireNonNull(round, "round");
    if (round.outcome() == RoundRecord.Outcome.COMPLETED) {
      throw new IllegalArgumentException("completed round " + round.number() + " of run " + runId
          + " needs a checkpoint of the model it produced");
    }
    commit(runId, round, Optional.empty());
  }

  private void commit(long runId, RoundRecord round, Optional<Checkpoint> checkpoint) {
    long now = clock.millis();
    write("commit round " + round.number() + " of run " + runId, c -> {
      RunStatus status = lockRun(c, runId);
      if (status.isFinished()) {
        throw new IllegalStateException("run " + runId + " is finished (" + status
            + "); cannot commit round " + round.number());
      }
      int last = RoundRows.lastRound(c, runId);
      if (round.number() <= last) {
        throw new RoundAlreadyCommittedException(runId, round.number(), last);
      }
      if (round.number() != last + 1) {
        throw new IllegalArgumentException("run " + runId + " is at round " + last + ": the next round to commit is "
            + (last + 1) + ", not " + round.number());
      }
      try {
        RoundRows.insert(c, runId, round, now);
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          throw new RoundAlreadyCommittedException(runId, round.number(), round.number());
        }
        throw e;
      }
      RoundRows.insertParticipants(c, runId, round);
      if (checkpoint.isPresent()) {
        CheckpointRows.insert(c, runId, round.number(), checkpoint.get());
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE runs SET updated_at = ? WHERE id = ?")) {
        p.setLong(1, now);
        p.setLong(2, runId);
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<RoundRecord> rounds(long runId) {
    return readSnapshot("read rounds of run " + runId, c -> {
      requireRun(c, runId);
      return RoundRows.all(c, runId);
    });
  }

  @Override
  public RunHistory history(long runId) {
    return readSnapshot("read history of run " + runId, c -> new RunHistory(requireRun(c, runId), RoundRows.all(c, runId)));
  }

  /* --- resume and checkpoints --- */

  @Override
  public ResumePoint resume(long runId) {
    return readSnapshot("resume run " + runId, c -> {
      Run run = requireRun(c, runId);
      int last = RoundRows.lastRound(c, runId);
      int checkpointRound = CheckpointRows.latestRound(c, runId);
      Optional<Checkpoint> checkpoint = checkpointRound == 0 ? Optional.empty()
          : CheckpointRows.find(c, runId, checkpointRound, this::readChunk);
      Optional<PrivacySpent> privacy = RoundRows.latestPrivacySpent(c, runId);
      return new ResumePoint(run, last, checkpointRound, checkpoint, privacy);
    });
  }

  @Override
  public Optional<Checkpoint> checkpoint(long runId, int round) {
    return read("read checkpoint of run " + runId + " round " + round, c -> CheckpointRows.find(c, runId, round, this::readChunk));
  }

  /** Reads one checkpoint chunk on a pooled connection, for {@link StoredPayload}. */
  private byte[] readChunk(long runId, int round, String part, int seq) throws IOException {
    try {
      return read("read checkpoint chunk", c -> CheckpointRows.chunk(c, runId, round, part, seq));
    } catch (StoreException | IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /* --- plumbing --- */

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on a connection in autocommit mode (each statement sees the latest commits). */
  private <T> T read(String what, Work<T> work) {
    return withConnection(what, c -> work.run(c));
  }

  /** Runs {@code work} in a read-only transaction that sees one snapshot. */
  private <T> T readSnapshot(String what, Work<T> work) {
    return withConnection(what, c -> inTransaction(c, work, true));
  }

  /** Runs {@code work} in a write transaction, committed if it returns and rolled back if it throws. */
  private <T> T write(String what, Work<T> work) {
    return withConnection(what, c -> inTransaction(c, work, false));
  }

  private <T> T inTransaction(Connection c, Work<T> work, boolean readOnly) throws SQLException {
    if (readOnly) {
      dialect.beginRead(c);
    } else {
      dialect.begin(c);
    }
    try {
      T result = work.run(c);
      dialect.commit(c);
      return result;
    } catch (Throwable t) {
      try {
        dialect.rollback(c);
      } catch (SQLException r) {
        t.addSuppressed(r);
        c.close(); // in an unknown state: never reuse it
      }
      throw t;
    }
  }

  private <T> T withConnection(String what, Work<T> work) {
    Connection c;
    try {
      c = pool.acquire();
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": cannot connect to store " + url + ": " + describe(e), e);
    }
    boolean broken = true;
    try {
      T result = work.run(c);
      broken = false;
      return result;
    } catch (SQLException e) {
      broken = !isHealthy(c);
      throw new StoreException("cannot " + what + " in store " + url + ": " + describe(e), e);
    } catch (RuntimeException e) {
      broken = !isHealthy(c);
      throw e;
    } finally {
      pool.release(c, broken);
    }
  }

  private boolean isHealthy(Connection c) {
    try {
      return !c.isClosed() && c.getAutoCommit() && c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /** The exception's message followed by its causes' (drivers often put the reason in a cause). */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && !b.toString().contains(m)) {
        b.append(" (").append(c.getClass().getSimpleName()).append(": ").append(m).append(')');
      }
    }
    return StoreUrl.redact(b.toString());
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "RunStore(" + url + ")";
  }
}
