package dev.cohort.core.transport;

import dev.cohort.core.message.Message;

/**
 * Receives the outcome of each request of a {@link Transport#exchange}. Calls are serialised by
 * the transport, so implementations need no locking.
 */
public interface ReplyListener {
  /** {@code reply} answers {@code request}. */
  void onReply(Message request, Message reply);

  /** {@code request} produced no reply. */
  void onFailure(Message request, ClientFailure failure);

  /**
   * Whether the exchange may end now, before every request is answered (a round that closes with
   * its first k of n responders). Asked after each call; the transport then withdraws the
   * requests still outstanding and reports each as {@link ClientFailure.Kind#LATE}. Only
   * listeners that {@link #closesEarly()} are asked.
   */
  default boolean enough() {
    return false;
  }

  /**
   * Whether this listener may end the exchange early. Transports then deliver in arrival order
   * even if they otherwise keep request order, since waiting for request order would make the
   * round wait for particular clients rather than the first ones.
   */
  default boolean closesEarly() {
    return false;
  }
}
