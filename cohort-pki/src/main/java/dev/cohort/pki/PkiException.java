package dev.cohort.pki;

/** A federation PKI directory cannot do what was asked: it exists already, is missing, is corrupt, or lacks a name. */
public final class PkiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
