package dev.cohort.grpc;

/**
 * Bytes could not be decoded into a message (truncated, corrupt, an unknown payload type, a
 * length out of range, a value its record refused), or a value cannot be encoded (a type that was
 * never registered). The message names what is wrong and where.
 */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
