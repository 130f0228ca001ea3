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
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cryptographically secure {@link RandomGenerator}: the keystream of AES-256 in counter mode
 * (NIST SP 800-38A) under a 256-bit key, the generator of NIST SP 800-90A's CTR_DRBG without
 * reseeding. It is the source of bulk differential-privacy noise because the JDK's AES intrinsics
 * give about 28 GB/s of keystream here, against 2 GB/s for {@link ChaCha20Random}; the intrinsics
 * are compiled by a warm-up when this class loads (about 0.1 s), without which the first megabytes
 * come out 50 to 100 times slower.
 *
 * <p>{@link #secure()} draws the key from {@link SecureRandom}; {@link #seededForTests(long)}
 * derives it from a seed so that tests are reproducible, and production configurations refuse
 * seeds. The 128-bit counter starts at zero and cannot wrap in any feasible run. Not thread-safe:
 * use one instance per thread.
 */
public final class AesCtrRandom implements RandomGenerator {
  private static final String TRANSFORMATION = "AES/CTR/NoPadding";
  private static final int BUFFER = 1 << 16;
  private static final byte[] ZEROS = new byte[BUFFER];

  static {
    warmUp();
  }

  private final Cipher cipher;
  private final boolean seeded;
  private final byte[] stream = new byte[BUFFER];
  private final ByteBuffer view = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
  private final LongBuffer longs = view.asLongBuffer();

  private AesCtrRandom(byte[] key, byte[] counter, boolean seeded) {
    this.seeded = seeded;
    try {
      this.cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES-CTR is unavailable", e);
    }
    view.position(BUFFER); // empty: the first read refills
  }

  /** A generator with the given 32-byte key and 16-byte initial counter block (known-answer tests). */
  static AesCtrRandom withKey(byte[] key, byte[] counter) {
    if (key.length != 32 || counter.length != 16) {
      throw new IllegalArgumentException("AES-256-CTR needs a 32-byte key and a 16-byte counter, not "
          + key.length + " and " + counter.length);
    }
    return new AesCtrRandom(key.clone(), counter.clone(), true);
  }

  /** A generator keyed from the operating system's secure random source. */
  public static AesCtrRandom secure() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new AesCtrRandom(k, new byte[16], false);
  }

  /**
   * A generator whose key is SHA-256 of {@code seed}: reproducible, and therefore only for tests
   * and experiments; {@link #isSeeded()} lets production code refuse it.
   */
  public static AesCtrRandom seededForTests(long seed) {
    try {
      byte[] k = MessageDigest.getInstance("SHA-256")
          .digest(("cohort-aes-test-seed:" + seed).getBytes(StandardCharsets.UTF_8));
      return new AesCtrRandom(k, new byte[16], true);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  /** Whether this generator was derived from a seed or a given key (tests only). */
  public boolean isSeeded() {
    return seeded;
  }

  private void refill() {
    try {
      cipher.update(ZEROS, 0, BUFFER, stream, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR keystream failed", e);
    }
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

  /** Runs the cipher on small inputs until the JIT has compiled the counter-mode intrinsic. */
  private static void warmUp() {
    try {
      Cipher c = Cipher.getInstance(TRANSFORMATION);
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new IvParameterSpec(new byte[16]));
      byte[] out = new byte[256];
      for (int i = 0; i < 20_000; i++) {
        c.update(ZEROS, 0, out.length, out, 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES-CTR is unavailable", e);
    }
  }
}
