package dev.cohort.store.internal;

import dev.cohort.store.Checkpoint;
import dev.cohort.store.Participant;
import dev.cohort.store.Payload;
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
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@link RunStore} over JDBC, for SQLite and PostgreSQL. Every public method borrows a pooled
 * connection for its duration; writes are single transactions (see {@link Dialect} for the locking).
 */
public final class JdbcRunStore implements RunStore {
  private static final int MAX_CONNECTIONS = 4;
  private static final String[] PARTS = {"model", "strategy", "accountant"};

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
      int last = lastRound(c, runId);
      if (round.number() <= last) {
        throw new RoundAlreadyCommittedException(runId, round.number(), last);
      }
      if (round.number() != last + 1) {
        throw new IllegalArgumentException("run " + runId + " is at round " + last + ": the next round to commit is "
            + (last + 1) + ", not " + round.number());
      }
      try {
        insertRound(c, runId, round, now);
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          throw new RoundAlreadyCommittedException(runId, round.number(), round.number());
        }
        throw e;
      }
      insertParticipants(c, runId, round);
      if (checkpoint.isPresent()) {
        insertCheckpoint(c, runId, round.number(), checkpoint.get());
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE runs SET updated_at = ? WHERE id = ?")) {
        p.setLong(1, now);
        p.setLong(2, runId);
        p.executeUpdate();
      }
      return null;
    });
  }

  private static int lastRound(Connection c, long runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT COALESCE(MAX(round_number), 0) FROM rounds WHERE run_id = ?")) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void insertRound(Connection c, long runId, RoundRecord r, long now) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO rounds (run_id, round_number, outcome, reason, "
        + "accuracy, loss, seconds, participants, epsilon, delta, measurements, committed_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, runId);
      p.setInt(2, r.number());
      p.setString(3, r.outcome().name().toLowerCase(Locale.ROOT));
      p.setString(4, r.reason().orElse(null));
      setDouble(p, 5, r.accuracy());
      setDouble(p, 6, r.loss());
      p.setDouble(7, r.seconds());
      p.setInt(8, r.contributors());
      setDouble(p, 9, r.privacySpent().map(s -> OptionalDouble.of(s.epsilon())).orElse(OptionalDouble.empty()));
      setDouble(p, 10, r.privacySpent().map(s -> OptionalDouble.of(s.delta())).orElse(OptionalDouble.empty()));
      p.setString(11, MeasurementsJson.write(r.measurements()));
      p.setLong(12, now);
      p.executeUpdate();
    }
  }

  /** Stores NaN and infinities as NULL: neither database round-trips them portably. */
  private static void setDouble(PreparedStatement p, int index, OptionalDouble value) throws SQLException {
    if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
      p.setDouble(index, value.getAsDouble());
    } else {
      p.setNull(index, Types.DOUBLE);
    }
  }

  private static void insertParticipants(Connection c, long runId, RoundRecord r) throws SQLException {
    if (r.participants().isEmpty()) {
      return;
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO participants (run_id, round_number, position, client, "
        + "status, failure_kind, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      int position = 0;
      for (Participant participant : r.participants()) {
        p.setLong(1, runId);
        p.setInt(2, r.number());
        p.setInt(3, position++);
        p.setString(4, participant.client());
        p.setString(5, participant.status().name().toLowerCase(Locale.ROOT));
        p.setString(6, participant.failureKind().orElse(null));
        p.setString(7, participant.reason().orElse(null));
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  private record Written(long size, String sha256) {}

  private void insertCheckpoint(Connection c, long runId, int round, Checkpoint checkpoint) throws SQLException {
    // The parent row first: the chunks reference it.
    try (PreparedStatement p = c.prepareStatement("INSERT INTO checkpoints (run_id, round_number, model_size, "
        + "model_sha256, strategy_size, strategy_sha256, accountant_size, accountant_sha256) "
        + "VALUES (?, ?, 0, '', 0, '', 0, '')")) {
      p.setLong(1, runId);
      p.setInt(2, round);
      p.executeUpdate();
    }
    Payload[] payloads = {checkpoint.model(), checkpoint.strategyState(), checkpoint.accountantState()};
    Written[] written = new Written[PARTS.length];
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO checkpoint_chunks (run_id, round_number, part, seq, data) VALUES (?, ?, ?, ?, ?)")) {
      byte[] buffer = new byte[Payload.CHUNK_BYTES];
      for (int i = 0; i < PARTS.length; i++) {
        written[i] = writeChunks(p, runId, round, PARTS[i], payloads[i], buffer);
      }
    }
    try (PreparedStatement p = c.prepareStatement("UPDATE checkpoints SET model_size = ?, model_sha256 = ?, "
        + "strategy_size = ?, strategy_sha256 = ?, accountant_size = ?, accountant_sha256 = ? "
        + "WHERE run_id = ? AND round_number = ?")) {
      for (int i = 0; i < PARTS.length; i++) {
        p.setLong(2 * i + 1, written[i].size());
        p.setString(2 * i + 2, written[i].sha256());
      }
      p.setLong(7, runId);
      p.setInt(8, round);
      p.executeUpdate();
    }
  }

  private static Written writeChunks(PreparedStatement p, long runId, int round, String part, Payload payload,
      byte[] buffer) throws SQLException {
    MessageDigest digest = Sha256.newDigest();
    long total = 0;
    int seq = 0;
    try (InputStream in = payload.openStream()) {
      while (true) {
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n == 0) {
          break;
        }
        digest.update(buffer, 0, n);
        p.setLong(1, runId);
        p.setInt(2, round);
        p.setString(3, part);
        p.setInt(4, seq++);
        p.setBytes(5, n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n));
        p.executeUpdate();
        total += n;
        if (n < buffer.length) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the " + part + " payload " + payload + " of round " + round
          + ": " + e.getMessage(), e);
    }
    if (total != payload.size()) {
      throw new IllegalArgumentException("the " + part + " payload " + payload + " of round " + round
          + " declared " + payload.size() + " bytes but had " + total);
    }
    return new Written(total, HexFormat.of().formatHex(digest.digest()));
  }

  @Override
  public List<RoundRecord> rounds(long runId) {
    return readSnapshot("read rounds of run " + runId, c -> {
      requireRun(c, runId);
      return rounds(c, runId);
    });
  }

  @Override
  public RunHistory history(long runId) {
    return readSnapshot("read history of run " + runId, c -> new RunHistory(requireRun(c, runId), rounds(c, runId)));
  }

  private static List<RoundRecord> rounds(Connection c, long runId) throws SQLException {
    Map<Integer, List<Participant>> participants = new LinkedHashMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT round_number, client, status, failure_kind, reason "
        + "FROM participants WHERE run_id = ? ORDER BY round_number, position")) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          participants.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new Participant(rs.getString(2),
              Participant.Status.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
              Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5))));
        }
      }
    }
    List<RoundRecord> rounds = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT round_number, outcome, reason, accuracy, loss, seconds, "
        + "epsilon, delta, measurements FROM rounds WHERE run_id = ? ORDER BY round_number")) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          int number = rs.getInt(1);
          OptionalDouble epsilon = getDouble(rs, 7);
          OptionalDouble delta = getDouble(rs, 8);
          Optional<PrivacySpent> privacy = epsilon.isPresent() && delta.isPresent()
              ? Optional.of(new PrivacySpent(epsilon.getAsDouble(), delta.getAsDouble()))
              : Optional.empty();
          rounds.add(new RoundRecord(number, RoundRecord.Outcome.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
              Optional.ofNullable(rs.getString(3)), getDouble(rs, 4), getDouble(rs, 5), rs.getDouble(6),
              participants.getOrDefault(number, List.of()), privacy, MeasurementsJson.read(rs.getString(9))));
        }
      }
    }
    return rounds;
  }

  private static OptionalDouble getDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /* --- resume and checkpoints --- */

  @Override
  public ResumePoint resume(long runId) {
    return readSnapshot("resume run " + runId, c -> {
      Run run = requireRun(c, runId);
      int last = lastRound(c, runId);
      Optional<Checkpoint> checkpoint = Optional.empty();
      int checkpointRound = 0;
      try (PreparedStatement p = c.prepareStatement("SELECT round_number FROM checkpoints WHERE run_id = ? "
          + "ORDER BY round_number DESC LIMIT 1")) {
        p.setLong(1, runId);
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            checkpointRound = rs.getInt(1);
          }
        }
      }
      if (checkpointRound > 0) {
        checkpoint = checkpoint(c, runId, checkpointRound);
      }
      Optional<PrivacySpent> privacy = Optional.empty();
      try (PreparedStatement p = c.prepareStatement("SELECT epsilon, delta FROM rounds WHERE run_id = ? "
          + "AND epsilon IS NOT NULL AND delta IS NOT NULL ORDER BY round_number DESC LIMIT 1")) {
        p.setLong(1, runId);
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            privacy = Optional.of(new PrivacySpent(rs.getDouble(1), rs.getDouble(2)));
          }
        }
      }
      return new ResumePoint(run, last, checkpointRound, checkpoint, privacy);
    });
  }

  @Override
  public Optional<Checkpoint> checkpoint(long runId, int round) {
    return read("read checkpoint of run " + runId + " round " + round, c -> checkpoint(c, runId, round));
  }

  private Optional<Checkpoint> checkpoint(Connection c, long runId, int round) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT model_size, model_sha256, strategy_size, strategy_sha256, "
        + "accountant_size, accountant_sha256 FROM checkpoints WHERE run_id = ? AND round_number = ?")) {
      p.setLong(1, runId);
      p.setInt(2, round);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Payload[] parts = new Payload[PARTS.length];
        for (int i = 0; i < PARTS.length; i++) {
          parts[i] = new StoredPayload(this::readChunk, runId, round, PARTS[i], rs.getLong(2 * i + 1),
              rs.getString(2 * i + 2));
        }
        return Optional.of(new Checkpoint(parts[0], parts[1], parts[2]));
      }
    }
  }

  private byte[] readChunk(long runId, int round, String part, int seq) throws IOException {
    try {
      return read("read checkpoint chunk", c -> {
        try (PreparedStatement p = c.prepareStatement("SELECT data FROM checkpoint_chunks WHERE run_id = ? "
            + "AND round_number = ? AND part = ? AND seq = ?")) {
          p.setLong(1, runId);
          p.setInt(2, round);
          p.setString(3, part);
          p.setInt(4, seq);
          try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : new byte[0];
          }
        }
      });
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
