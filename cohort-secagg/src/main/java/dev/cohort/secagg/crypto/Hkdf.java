package dev.cohort.secagg.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * HKDF-SHA256 (Krawczyk and Eronen, RFC 5869): extract-then-expand key derivation, through the
 * JDK's {@link KDF} API ({@code "HKDF-SHA256"}).
 *
 * <p>SecAgg derives from each X25519 agreement the AES-GCM key for encrypted shares and the
 * AES-CTR seed for pairwise masks; distinct {@code info} strings (for example naming the round
 * and purpose) keep those keys independent.
 *
 * <p>Thread-safety: stateless; each call uses its own {@link KDF} instance, so it is safe from any
 * thread.
 */
public final class Hkdf {

  /** Largest output length HKDF-SHA256 allows: 255 &middot; 32 bytes. */
  public static final int MAX_LENGTH = 255 * 32;

  private static final String ALGORITHM = "HKDF-SHA256";

  private Hkdf() {}

  /**
   * HKDF-Expand(HKDF-Extract(salt, ikm), info, length).
   *
   * @param ikm the input keying material, at least one byte
   * @param salt the salt; {@code null} or empty means HashLen zero bytes (RFC 5869, section 2.2)
   * @param info the context and application specific information; {@code null} means empty
   * @param length the number of output bytes, in [1, 8160]
   */
  public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
    Objects.requireNonNull(ikm, "ikm");
    if (ikm.length == 0) {
      throw new IllegalArgumentException("ikm.length must be >= 1, was 0");
    }
    if (length < 1 || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "length must be in [1, " + MAX_LENGTH + "], was " + length);
    }
    HKDFParameterSpec.Builder extract = HKDFParameterSpec.ofExtract().addIKM(ikm);
    if (salt != null && salt.length > 0) {
      extract.addSalt(salt);
    }
    HKDFParameterSpec spec = extract.thenExpand(info == null ? new byte[0] : info, length);
    try {
      return KDF.getInstance(ALGORITHM).deriveData(spec);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK provides no " + ALGORITHM, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " derivation failed", e);
    }
  }
}
