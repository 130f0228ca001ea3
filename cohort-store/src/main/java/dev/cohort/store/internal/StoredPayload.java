package dev.cohort.store.internal;

import dev.cohort.store.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A checkpoint part in the store, read a chunk at a time when its stream is read. Committed
 * checkpoints never change, so each chunk is fetched by its own query; the stream checks the size
 * and SHA-256 recorded at commit when it reaches the end.
 */
final class StoredPayload implements Payload {
  /** Fetches one chunk. */
  interface ChunkReader {
    byte[] read(long runId, int round, String part, int seq) throws IOException;
  }

  private final ChunkReader reader;
  private final long runId;
  private final int round;
  private final String part;
  private final long size;
  private final String sha256;

  StoredPayload(ChunkReader reader, long runId, int round, String part, long size, String sha256) {
    this.reader = reader;
    this.runId = runId;
    this.round = round;
    this.part = part;
    this.size = size;
    this.sha256 = sha256;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public InputStream openStream() {
    return new ChunkStream();
  }

  @Override
  public String toString() {
    return "Payload(" + part + " of run " + runId + " round " + round + ", " + size + " bytes)";
  }

  private final class ChunkStream extends InputStream {
    private final MessageDigest digest = Sha256.newDigest();
    private byte[] chunk = new byte[0];
    private int pos;
    private int nextSeq;
    private long read;
    private boolean verified;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos == chunk.length && !fill()) {
        return -1;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return chunk.length - pos;
    }

    /** Loads the next chunk; false at the end (after checking size and digest). */
    private boolean fill() throws IOException {
      if (read == size) {
        verify();
        return false;
      }
      byte[] next = reader.read(runId, round, part, nextSeq);
      if (next.length == 0) {
        throw new IOException(StoredPayload.this + " is missing chunk " + nextSeq + " after " + read + " bytes");
      }
      nextSeq++;
      read += next.length;
      if (read > size) {
        throw new IOException(StoredPayload.this + " has more bytes than the " + size + " recorded");
      }
      digest.update(next);
      chunk = next;
      pos = 0;
      return true;
    }

    private void verify() throws IOException {
      if (verified) {
        return;
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw new IOException(StoredPayload.this + " is corrupt: SHA-256 " + actual + ", recorded " + sha256);
      }
      verified = true;
    }
  }
}
