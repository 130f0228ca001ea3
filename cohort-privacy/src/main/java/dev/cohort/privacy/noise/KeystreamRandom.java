package dev.cohort.privacy.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} that reads a stream cipher's keystream 64 KiB at a time, little-endian:
 * what {@link AesCtrRandom} and {@link ChaCha20Random} share. A subclass only produces the next
 * block of keystream. Not thread-safe.
 */
abstract sealed class KeystreamRandom implements RandomGenerator permits AesCtrRandom, ChaCha20Random {
  /** Bytes of keystream produced at a time. */
  static final int BUFFER = 1 << 16;

  private final boolean seeded;
  private final byte[] stream = new byte[BUFFER];
  private final ByteBuffer view = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
  private final LongBuffer longs = view.asLongBuffer();

  KeystreamRandom(boolean seeded) {
    this.seeded = seeded;
    view.position(BUFFER); // empty: the first read refills
  }

  /** Overwrites all of {@code block} ({@link #BUFFER} bytes) with the next keystream bytes. */
  abstract void nextBlock(byte[] block);

  /** Whether this generator was derived from a seed or a given key (tests only). */
  public boolean isSeeded() {
    return seeded;
  }

  private void refill() {
    nextBlock(stream);
    view.position(0);
  }

  @Override
  public long nextLong() {
    if (view.remaining() < Long.BYTES) {
      refill();
    }
    return view.getLong();
  }

  @Override
  public int nextInt() {
    if (view.remaining() < Integer.BYTES) {
      refill();
    }
    return view.getInt();
  }

  /**
   * Fills {@code dst[off..off+n)} with the next {@code n} keystream words, each eight bytes read
   * little-endian: the same values as {@code n} calls of {@link #nextLong()}, copied in bulk.
   */
  public void nextLongs(long[] dst, int off, int n) {
    Objects.checkFromIndexSize(off, n, dst.length);
    int done = 0;
    while (done < n) {
      if (view.remaining() < Long.BYTES) {
        refill();
      }
      int pos = view.position();
      if (pos % Long.BYTES != 0) {
        dst[off + done++] = view.getLong(); // after a nextInt: realign word by word
        continue;
      }
      int take = Math.min(n - done, view.remaining() / Long.BYTES);
      longs.get(pos / Long.BYTES, dst, off + done, take);
      view.position(pos + take * Long.BYTES);
      done += take;
    }
  }

  /** A 32-byte key from the operating system's secure random source. */
  static byte[] secureKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  /** The 32-byte key SHA-256({@code label} + {@code seed}), for reproducible tests. */
  static byte[] seedKey(String label, long seed) {
    try {
      return MessageDigest.getInstance("SHA-256").digest((label + seed).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
