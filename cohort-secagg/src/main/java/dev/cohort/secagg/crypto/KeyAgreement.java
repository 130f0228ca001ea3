package dev.cohort.secagg.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 Diffie-Hellman key agreement (RFC 7748, section 5), through libsodium when it is
 * installed and BouncyCastle's lightweight {@link X25519} class otherwise (both several times
 * faster than the JDK's SunEC provider; {@code -Dcohort.x25519} chooses, see {@link #engine()}).
 *
 * <p>In SecAgg (Bonawitz et al., CCS 2017, section 4) every client advertises two public keys:
 * one whose agreements key the pairwise encryption of shares, one whose agreements seed the
 * pairwise masks. The raw agreement output is not used directly as a key; derive keys from it
 * with {@link Hkdf} and a context-specific info string (RFC 7748, section 6.1, recommends
 * hashing).
 *
 * <p>Keys are raw 32-byte strings as in RFC 7748: private keys are scalars (clamped when used),
 * public keys are little-endian u-coordinates.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class KeyAgreement {

  /** Length in bytes of private keys, public keys and shared secrets. */
  public static final int KEY_BYTES = X25519.SCALAR_SIZE;

  private KeyAgreement() {}

  /** The name of the X25519 implementation in use: "libsodium" or "bouncycastle". */
  public static String engine() {
    return X25519Engines.selected().name();
  }

  /**
   * An X25519 key pair. Immutable: arrays are copied on construction and on access.
   *
   * @param privateKey the 32-byte secret scalar
   * @param publicKey the 32-byte public u-coordinate
   */
  public record KeyPair(byte[] privateKey, byte[] publicKey) {

    /** Validates lengths and defensively copies. */
    public KeyPair {
      privateKey = checkedCopy(privateKey, "privateKey");
      publicKey = checkedCopy(publicKey, "publicKey");
    }

    /** A copy of the private key. */
    @Override
    public byte[] privateKey() {
      return privateKey.clone();
    }

    /** A copy of the public key. */
    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyPair k && Arrays.equals(k.privateKey, privateKey)
          && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
      return "KeyPair[publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
    }
  }

  /** Generates a fresh key pair from {@code random}. */
  public static KeyPair generateKeyPair(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] privateKey = new byte[KEY_BYTES];
    X25519.generatePrivateKey(random, privateKey);
    return new KeyPair(privateKey, publicKey(privateKey));
  }

  /** The public key X25519(k, 9) of the 32-byte {@code privateKey}. */
  public static byte[] publicKey(byte[] privateKey) {
    checkLength(privateKey, "privateKey");
    byte[] publicKey = new byte[KEY_BYTES];
    X25519Engines.selected().publicKey(privateKey, publicKey);
    return publicKey;
  }

  /**
   * The shared secret X25519(privateKey, peerPublicKey).
   *
   * @throws IllegalArgumentException if a key is not 32 bytes, or if the result is all zeros
   *     (the peer sent a small-order point; RFC 7748, section 6.1, says to abort)
   */
  public static byte[] agree(byte[] privateKey, byte[] peerPublicKey) {
    checkLength(privateKey, "privateKey");
    checkLength(peerPublicKey, "peerPublicKey");
    byte[] shared = new byte[KEY_BYTES];
    if (!X25519Engines.selected().agree(privateKey, peerPublicKey, shared)) {
      throw new IllegalArgumentException(
          "peerPublicKey is a small-order point: the X25519 agreement is all zeros");
    }
    return shared;
  }

  private static void checkLength(byte[] key, String name) {
    Objects.requireNonNull(key, name);
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          name + ".length must be " + KEY_BYTES + ", was " + key.length);
    }
  }

  private static byte[] checkedCopy(byte[] key, String name) {
    checkLength(key, name);
    return key.clone();
  }
}
