package dev.cohort.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What one client did in one round: contributed an update, or failed with a kind (for example
 * {@code timeout}, {@code rejected}, {@code disconnected}) and a reason.
 *
 * @param client the client's name
 * @param status contributed or failed
 * @param failureKind the kind of failure; empty exactly when the client contributed
 * @param reason the failure's detail; empty exactly when the client contributed
 */
public record Participant(String client, Status status, Optional<String> failureKind, Optional<String> reason) {

  /** Whether a client's update went into the round's aggregate. */
  public enum Status {
    CONTRIBUTED,
    FAILED
  }

  public Participant {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(failureKind, "failureKind");
    Objects.requireNonNull(reason, "reason");
    if (client.isBlank()) {
      throw new IllegalArgumentException("client must not be blank");
    }
    boolean failed = status == Status.FAILED;
    if (failed != failureKind.isPresent() || failed != reason.isPresent()) {
      throw new IllegalArgumentException("participant " + client + " is " + status
          + ": a failure kind and reason are required for FAILED and not allowed for CONTRIBUTED, but got kind="
          + failureKind.orElse(null) + ", reason=" + reason.orElse(null));
    }
  }

  /** A client whose update was aggregated. */
  public static Participant contributed(String client) {
    return new Participant(client, Status.CONTRIBUTED, Optional.empty(), Optional.empty());
  }

  /** A client that failed, with the kind of failure and its detail. */
  public static Participant failed(String client, String failureKind, String reason) {
    return new Participant(client, Status.FAILED, Optional.of(failureKind), Optional.of(reason));
  }
}
