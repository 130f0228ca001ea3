package dev.cohort.secagg.crypto;

/**
 * One implementation of the X25519 function of RFC 7748, section 5: scalar multiplication on
 * Curve25519's Montgomery form, on raw 32-byte strings. {@link KeyAgreement} picks one per process
 * (see {@link X25519Engines}); every engine is checked against the RFC's test vectors.
 *
 * <p>Implementations are stateless and thread-safe, clamp the scalar as the RFC says, and never
 * keep the inputs.
 */
sealed interface X25519Engine permits BouncyCastleX25519, SodiumX25519 {

  /** A short name for reports: "bouncycastle" or "libsodium". */
  String name();

  /** Writes X25519(scalar, 9), the public key of {@code scalar}, into {@code out}. */
  void publicKey(byte[] scalar, byte[] out);

  /**
   * Writes X25519(scalar, u) into {@code out} and returns whether it is not all zeros (an all-zero
   * result means {@code u} was a small-order point, which RFC 7748, section 6.1, says to reject).
   */
  boolean agree(byte[] scalar, byte[] u, byte[] out);
}
