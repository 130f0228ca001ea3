package dev.cohort.store.internal;

import dev.cohort.store.Checkpoint;
import dev.cohort.store.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SQL of the {@code checkpoints} and {@code checkpoint_chunks} tables: each part of a checkpoint
 * is streamed into rows of {@link Payload#CHUNK_BYTES} with its size and SHA-256 recorded, and read
 * back as a {@link StoredPayload}. Callers own the transaction.
 */
final class CheckpointRows {
  private static final String[] PARTS = {"model", "strategy", "accountant"};

  private record Written(long size, String sha256) {}

  /** Writes the checkpoint of round {@code round}, streaming each part into chunks. */
  static void insert(Connection c, long runId, int round, Checkpoint checkpoint) throws SQLException {
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
        p.setBytes(5, n == buffer.length ? buffer : Arrays.copyOf(buffer, n));
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

  static Optional<Checkpoint> find(Connection c, long runId, int round, StoredPayload.ChunkReader reader)
      throws SQLException {
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
          parts[i] = new StoredPayload(reader, runId, round, PARTS[i], rs.getLong(2 * i + 1),
              rs.getString(2 * i + 2));
        }
        return Optional.of(new Checkpoint(parts[0], parts[1], parts[2]));
      }
    }
  }

  /** Chunk {@code seq} of a checkpoint part, or an empty array if there is none. */
  static byte[] chunk(Connection c, long runId, int round, String part, int seq) throws SQLException {
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
  }

  /** The latest round of the run that has a checkpoint, 0 if none. */
  static int latestRound(Connection c, long runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT COALESCE(MAX(round_number), 0) FROM checkpoints WHERE run_id = ?")) {
      p.setLong(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private CheckpointRows() {}
}
