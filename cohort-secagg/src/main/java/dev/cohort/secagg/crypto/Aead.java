package dev.cohort.secagg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM authenticated encryption (NIST SP 800-38D; McGrew and Viega, "The Galois/Counter
 * Mode of Operation") of SecAgg's pairwise share messages, with the JDK's provider.
 *
 * <p>In SecAgg (Bonawitz et al., CCS 2017, section 4, round 1) client u sends its shares for
 * client v through the server, encrypted under a key derived from their X25519 agreement. The
 * associated data built by {@link #associatedData(long, int, int)} binds each ciphertext to its
 * round, sender and receiver, so the server can neither replay it into another round nor
 * redirect it to another client.
 *
 * <p>{@link #seal} draws a fresh random 96-bit nonce for every message and prepends it; random
 * nonces are safe for up to about 2<sup>32</sup> messages per key (SP 800-38D, section 8.3),
 * far above the handful a per-round pairwise key encrypts. A sealed message is
 * {@code nonce (12) || ciphertext || tag (16)}.
 *
 * <p>Thread-safety: the static methods are stateless; every call uses its own {@link Cipher}, so
 * they are safe from any thread if the supplied {@link SecureRandom} is. An {@link Engine} reuses
 * one cipher and is for one thread.
 */
public final class Aead {

  /** Key length in bytes (AES-256). */
  public static final int KEY_BYTES = 32;
  /** Nonce length in bytes (the GCM-recommended 96 bits). */
  public static final int NONCE_BYTES = 12;
  /** Authentication tag length in bytes. */
  public static final int TAG_BYTES = 16;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final byte[] AAD_DOMAIN =
      "cohort-secagg/share/v1".getBytes(StandardCharsets.US_ASCII);

  private Aead() {}

  /**
   * The canonical associated data of a share message: a domain label, then the round (8 bytes),
   * sender and receiver ids (4 bytes each), big-endian.
   */
  public static byte[] associatedData(long round, int sender, int receiver) {
    return ByteBuffer.allocate(AAD_DOMAIN.length + 16).put(AAD_DOMAIN).putLong(round)
        .putInt(sender).putInt(receiver).array();
  }

  /** Encrypts with a fresh random nonce; returns {@code nonce || ciphertext || tag}. */
  public static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData,
      SecureRandom random) {
    return new Engine().seal(key, plaintext, associatedData, random);
  }

  /**
   * Authenticates and decrypts a message produced by {@link #seal}.
   *
   * @throws AeadException if the message is too short, tampered with, or the key or associated
   *     data differ from those used to seal it
   */
  public static byte[] open(byte[] key, byte[] sealed, byte[] associatedData)
      throws AeadException {
    return new Engine().open(key, sealed, associatedData);
  }

  /**
   * AES-256-GCM encryption with an explicit nonce; returns {@code ciphertext || tag}. The caller
   * must never reuse a nonce under the same key.
   */
  public static byte[] encrypt(byte[] key, byte[] nonce, byte[] plaintext,
      byte[] associatedData) {
    Objects.requireNonNull(plaintext, "plaintext");
    try {
      return cipher(Cipher.ENCRYPT_MODE, key, nonce, associatedData).doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * AES-256-GCM decryption of {@code ciphertext || tag} with an explicit nonce.
   *
   * @throws AeadException if authentication fails
   */
  public static byte[] decrypt(byte[] key, byte[] nonce, byte[] ciphertextAndTag,
      byte[] associatedData) throws AeadException {
    Objects.requireNonNull(ciphertextAndTag, "ciphertextAndTag");
    if (ciphertextAndTag.length < TAG_BYTES) {
      throw new AeadException("ciphertextAndTag.length must be >= " + TAG_BYTES
          + " (the tag), was " + ciphertextAndTag.length);
    }
    Cipher cipher;
    try {
      cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM initialisation failed", e);
    }
    try {
      return cipher.doFinal(ciphertextAndTag);
    } catch (AEADBadTagException e) {
      throw new AeadException("AES-GCM authentication failed: the message was tampered with,"
          + " or the key or associated data are wrong", e);
    } catch (GeneralSecurityException e) {
      throw new AeadException("AES-GCM decryption failed", e);
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] associatedData)
      throws GeneralSecurityException {
    Objects.requireNonNull(nonce, "nonce");
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException(
          "nonce.length must be " + NONCE_BYTES + ", was " + nonce.length);
    }
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    init(cipher, mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce), associatedData);
    return cipher;
  }

  private static void init(Cipher cipher, int mode, byte[] key, GCMParameterSpec nonce,
      byte[] associatedData) throws GeneralSecurityException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(associatedData, "associatedData");
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "key.length must be " + KEY_BYTES + ", was " + key.length);
    }
    cipher.init(mode, new SecretKeySpec(key, "AES"), nonce);
    cipher.updateAAD(associatedData);
  }

  /**
   * {@link Aead#seal} and {@link Aead#open} with one reusable {@link Cipher}, for a client sealing
   * or opening the share messages of all its neighbours: looking up a cipher in the provider list
   * costs about as much as sealing a share message, and the nonce and body are read and written in
   * place rather than copied. Each message still gets its own key, fresh random nonce and
   * associated data; the output is the same as the static methods'. Not thread-safe: one per
   * thread.
   */
  public static final class Engine {
    private Cipher cipher;

    private Cipher cipher() throws GeneralSecurityException {
      if (cipher == null) {
        cipher = Cipher.getInstance(TRANSFORMATION);
      }
      return cipher;
    }

    /** As {@link Aead#seal}. */
    public byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData, SecureRandom random) {
      Objects.requireNonNull(plaintext, "plaintext");
      Objects.requireNonNull(random, "random");
      byte[] out = new byte[NONCE_BYTES + plaintext.length + TAG_BYTES];
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      try {
        Cipher c = cipher();
        init(c, Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, out, 0, NONCE_BYTES),
            associatedData);
        int written = c.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
        if (written != plaintext.length + TAG_BYTES) {
          throw new IllegalStateException("AES-GCM wrote " + written + " bytes, not "
              + (plaintext.length + TAG_BYTES));
        }
        return out;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
    }

    /** As {@link Aead#open}. */
    public byte[] open(byte[] key, byte[] sealed, byte[] associatedData) throws AeadException {
      Objects.requireNonNull(sealed, "sealed");
      if (sealed.length < NONCE_BYTES + TAG_BYTES) {
        throw new AeadException("sealed.length must be >= " + (NONCE_BYTES + TAG_BYTES)
            + " (nonce and tag), was " + sealed.length);
      }
      Cipher c;
      try {
        c = cipher();
        init(c, Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, 0, NONCE_BYTES),
            associatedData);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM initialisation failed", e);
      }
      try {
        return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      } catch (AEADBadTagException e) {
        throw new AeadException("AES-GCM authentication failed: the message was tampered with,"
            + " or the key or associated data are wrong", e);
      } catch (GeneralSecurityException e) {
        throw new AeadException("AES-GCM decryption failed", e);
      }
    }
  }
}
