package dev.cohort.privacy.noise;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
public final class AesCtrRandom extends KeystreamRandom {
  private static final String TRANSFORMATION = "AES/CTR/NoPadding";
  private static final byte[] ZEROS = new byte[BUFFER];

  static {
    warmUp();
  }

  private final Cipher cipher;

  private AesCtrRandom(byte[] key, byte[] counter, boolean seeded) {
    super(seeded);
    try {
      this.cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES-CTR is unavailable", e);
    }
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
    return new AesCtrRandom(secureKey(), new byte[16], false);
  }

  /**
   * A generator whose key is SHA-256 of {@code seed}: reproducible, and therefore only for tests
   * and experiments; {@link #isSeeded()} lets production code refuse it.
   */
  public static AesCtrRandom seededForTests(long seed) {
    return new AesCtrRandom(seedKey("cohort-aes-test-seed:", seed), new byte[16], true);
  }

  @Override
  void nextBlock(byte[] block) {
    try {
      cipher.update(ZEROS, 0, BUFFER, block, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR keystream failed", e);
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
