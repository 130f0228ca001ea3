package dev.cohort.secagg.crypto;

import java.security.GeneralSecurityException;

/**
 * An {@link Aead} message failed authentication: it was tampered with, or it is being opened with
 * the wrong key or the wrong associated data (for example a share message replayed into another
 * round or redirected to another receiver). The protocol must reject and report such a message.
 *
 * <p>Thread-safety: immutable after construction, like any exception.
 */
public final class AeadException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message and the provider's underlying cause. */
  public AeadException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with a message. */
  public AeadException(String message) {
    super(message);
  }
}
