package dev.cohort.grpc;

/**
 * Bytes carried for one client since the transport started (across reconnections): gRPC
 * message bytes of every frame, excluding HTTP/2 and TLS framing.
 *
 * @param bytesSent bytes sent to the client (server side) or to the server (client side)
 * @param bytesReceived bytes received from the other side
 */
public record Traffic(long bytesSent, long bytesReceived) {
  /** No traffic. */
  public static final Traffic NONE = new Traffic(0, 0);

  /** The traffic since {@code earlier}. */
  public Traffic minus(Traffic earlier) {
    return new Traffic(bytesSent - earlier.bytesSent, bytesReceived - earlier.bytesReceived);
  }
}
