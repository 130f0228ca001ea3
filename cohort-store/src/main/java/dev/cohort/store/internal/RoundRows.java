package dev.cohort.store.internal;

import dev.cohort.store.Participant;
import dev.cohort.store.PrivacySpent;
import dev.cohort.store.RoundRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** The SQL of the {@code rounds} and {@code participants} tables; callers own the transaction. */
final class RoundRows {
  private RoundRows() {}

  /** The last committed round of the run, 0 if none. */
  static int lastRound(Connection c, long runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT COALESCE(MAX(round_number), 0) FROM rounds WHERE run_id = ?")) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static void insert(Connection c, long runId, RoundRecord r, long now) throws SQLException {
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

  static void insertParticipants(Connection c, long runId, RoundRecord r) throws SQLException {
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

  static List<RoundRecord> all(Connection c, long runId) throws SQLException {
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

  /** The privacy spent as of the run's last round that recorded it. */
  static Optional<PrivacySpent> latestPrivacySpent(Connection c, long runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT epsilon, delta FROM rounds WHERE run_id = ? "
        + "AND epsilon IS NOT NULL AND delta IS NOT NULL ORDER BY round_number DESC LIMIT 1")) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(new PrivacySpent(rs.getDouble(1), rs.getDouble(2))) : Optional.empty();
      }
    }
  }
}
