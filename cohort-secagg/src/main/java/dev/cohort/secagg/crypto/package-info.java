/**
 * Cryptographic building blocks of secure aggregation (SecAgg of Bonawitz et al., CCS 2017, and
 * SecAgg+ of Bell et al., CCS 2020). Protocol state machines live elsewhere and use these pieces.
 *
 * <ul>
 *   <li>{@link dev.cohort.secagg.crypto.PrimeField}: arithmetic modulo the Mersenne prime
 *       2<sup>61</sup>-1.
 *   <li>{@link dev.cohort.secagg.crypto.Shamir}: t-of-n secret sharing of byte strings (self-mask
 *       seeds and masking keys) over that field, for cohorts far beyond 255 clients.
 *   <li>{@link dev.cohort.secagg.crypto.KeyAgreement}: X25519 (RFC 7748) through BouncyCastle's
 *       lightweight API; {@link dev.cohort.secagg.crypto.Hkdf}: HKDF-SHA256 (RFC 5869) through the
 *       JDK's {@code javax.crypto.KDF}.
 *   <li>{@link dev.cohort.secagg.crypto.Aead}: AES-256-GCM for the pairwise encrypted share
 *       messages, bound to (round, sender, receiver) as associated data.
 *   <li>{@link dev.cohort.secagg.crypto.MaskStream}: AES-256-CTR (NIST SP 800-38A) expansion of a 32-byte
 *       seed into a mask over Z<sub>2<sup>32</sup></sub>, added to or subtracted from a vector in
 *       place without materialising the mask.
 * </ul>
 *
 * <p>Every class here is a stateless utility or an immutable value and is safe for concurrent
 * use. Randomness always comes from a caller-supplied {@link java.security.SecureRandom};
 * the non-cryptographic {@code Random} of {@code java.util} is not used in this module.
 */
package dev.cohort.secagg.crypto;
