package dev.cohort.privacy.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cryptographically secure {@link RandomGenerator}: the keystream of ChaCha20 (RFC 8439, the
 * JDK's implementation) under a 256-bit key, read 64 KiB at a time. It is the source of all
 * differential-privacy noise: fast (about 2 GB/s of keystream here, with no warm-up) and, unlike
 * {@code java.util.Random} or {@code SplittableRandom}, unpredictable to anyone without the key.
 *
 * <p>{@link #secure()} draws the key from {@link SecureRandom}; {@link #seededForTests(long)}
 * derives it from a seed so that tests are reproducible, and production configurations refuse
 * it. The nonce advances before the 32-bit block counter could wrap, so the stream never
 * repeats. Not thread-safe: use one instance per thread.
 */
public final class ChaCha20Random extends KeystreamRandom {
  /** Blocks per nonce before re-keying the stream position (well below the 2^32 counter limit). */
  private static final long BLOCKS_PER_NONCE = 1L << 30;

  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] zeros = new byte[BUFFER];
  private long nonce;
  private long blocksUnderNonce;

  /** A generator with the given 32-byte key, starting at nonce 0, block 0 (for known-answer tests). */
  static ChaCha20Random withKey(byte[] keyBytes) {
    if (keyBytes.length != 32) {
      throw new IllegalArgumentException("a ChaCha20 key has 32 bytes, not " + keyBytes.length);
    }
    return new ChaCha20Random(keyBytes.clone(), true);
  }

  private ChaCha20Random(byte[] keyBytes, boolean seeded) {
    super(seeded);
    this.key = new SecretKeySpec(keyBytes, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no ChaCha20 cipher", e);
    }
    restart();
  }

  /** A generator keyed from the operating system's secure random source. */
  public static ChaCha20Random secure() {
    return new ChaCha20Random(secureKey(), false);
  }

  /**
   * A generator whose key is SHA-256 of {@code seed}: reproducible, and therefore only for tests
   * and experiments; {@link #isSeeded()} lets production code refuse it.
   */
  public static ChaCha20Random seededForTests(long seed) {
    return new ChaCha20Random(seedKey("cohort-test-seed:", seed), true);
  }

  private void restart() {
    byte[] n = new byte[12];
    ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).putLong(4, nonce++);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new ChaCha20ParameterSpec(n, 0));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot start ChaCha20", e);
    }
    blocksUnderNonce = 0;
  }

  @Override
  void nextBlock(byte[] block) {
    if (blocksUnderNonce + BUFFER / 64 > BLOCKS_PER_NONCE) {
      restart();
    }
    try {
      cipher.update(zeros, 0, BUFFER, block, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20 keystream failed", e);
    }
    blocksUnderNonce += BUFFER / 64;
  }
}
