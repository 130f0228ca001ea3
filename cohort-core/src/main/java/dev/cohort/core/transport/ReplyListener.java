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
}
