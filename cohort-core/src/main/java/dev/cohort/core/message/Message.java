package dev.cohort.core.message;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The unit that travels between server and clients: a {@link Header} and a {@link Payload}.
 * Immutable as far as its payload is (parameter sets inside payloads are shared, never copied,
 * and must be treated as read-only by receivers).
 */
public record Message(Header header, Payload payload) {
  private static final AtomicLong IDS = new AtomicLong();

  public Message {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(payload, "payload");
  }

  /** A fresh request for {@code header.client()} with a new message id. */
  public static Message request(String runId, int round, dev.cohort.core.ClientId client, Payload payload) {
    return new Message(new Header(runId, IDS.incrementAndGet(), round, client, 0), payload);
  }

  /** A reply to this message carrying {@code replyPayload}. */
  public Message reply(Payload replyPayload) {
    return new Message(
        new Header(header.runId(), IDS.incrementAndGet(), header.round(), header.client(), header.messageId()),
        replyPayload);
  }
}
