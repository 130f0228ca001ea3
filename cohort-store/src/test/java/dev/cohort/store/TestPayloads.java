package dev.cohort.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic payloads for tests: the bytes of a "model" depend only on its seed and size. */
final class TestPayloads {
  private TestPayloads() {}

  /** {@code size} pseudo-random bytes from {@code seed}, in a new array. */
  static byte[] bytes(long seed, int size) {
    byte[] b = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        b[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return b;
  }

  /** The same bytes as {@link #bytes} but generated as they are read, never held in memory. */
  static Payload generated(long seed, long size) {
    return new Payload() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream openStream() {
        return new InputStream() {
          private final SplittableRandom random = new SplittableRandom(seed);
          private long pos;
          private long word;

          @Override
          public int read() {
            if (pos == size) {
              return -1;
            }
            if (pos % 8 == 0) {
              word = random.nextLong();
            }
            int b = (int) (word >>> (8 * (pos % 8))) & 0xff;
            pos++;
            return b;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (pos == size) {
              return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
              b[off + i] = (byte) read();
            }
            return n;
          }
        };
      }
    };
  }

  /** The SHA-256 of a payload's bytes, read as a stream. */
  static String sha256(Payload payload) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = payload.openStream()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A checkpoint for round {@code round} whose three parts are derived from the round number. */
  static Checkpoint checkpoint(int round, int modelBytes) {
    return new Checkpoint(Payload.of(bytes(round, modelBytes)), Payload.of(bytes(1000 + round, 64)),
        Payload.of(bytes(2000 + round, 32)));
  }

  /** A completed round with two contributors and one failure, and privacy spent growing with the round. */
  static RoundRecord round(int number) {
    return RoundRecord.completed(number).accuracy(0.5 + number / 1000.0).loss(1.0 / number).seconds(0.25)
        .participant(Participant.contributed("site-a")).participant(Participant.contributed("site-b"))
        .participant(Participant.failed("site-c", "timeout", "no reply within 30 s"))
        .privacySpent(0.1 * number, 1e-5).measurement("bytes_in", 1234.0 * number).build();
  }
}
