package dev.cohort.core.message;

import dev.cohort.core.ClientId;
import java.util.Objects;

/**
 * Who a message is for, which round it belongs to and what it answers.
 *
 * @param runId the federation run this message belongs to
 * @param messageId unique within the run
 * @param round the round number (1-based), or 0 outside rounds
 * @param client the client the message goes to (requests) or comes from (replies)
 * @param replyTo the id of the request this message answers, or 0 for requests
 */
public record Header(String runId, long messageId, int round, ClientId client, long replyTo) {
  public Header {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(client, "client");
    if (round < 0) {
      throw new IllegalArgumentException("round must be >= 0 but was " + round);
    }
  }

  /** Whether this header belongs to a reply. */
  public boolean isReply() {
    return replyTo != 0;
  }
}
