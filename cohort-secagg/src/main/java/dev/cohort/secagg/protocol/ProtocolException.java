package dev.cohort.secagg.protocol;

/**
 * A secure-aggregation message broke the protocol: out of stage, malformed, inconsistent with
 * what was sent before, or failing authentication. The party that detects it refuses the message
 * and, on a client, leaves the round; nothing secret is revealed.
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
