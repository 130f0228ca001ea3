package dev.cohort.core.transport;

import dev.cohort.core.ClientId;
import java.util.Objects;

/**
 * Why a client produced no usable reply to a request.
 *
 * @param client the client concerned
 * @param kind the category, for counting and policy
 * @param reason a human-readable explanation naming what went wrong
 */
public record ClientFailure(ClientId client, Kind kind, String reason) {
  /** Failure categories. */
  public enum Kind {
    /** No reply before the deadline. */
    TIMEOUT,
    /** The round closed with enough replies before this one arrived. */
    LATE,
    /** The connection was lost or the client is gone. */
    DISCONNECTED,
    /** The client reported an error or threw while handling the request. */
    CLIENT_ERROR,
    /** The reply was malformed, of the wrong shape, non-finite, or for another request. */
    REJECTED
  }

  public ClientFailure {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return client + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
  }
}
