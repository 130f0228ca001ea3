package dev.cohort.core.message;

import java.util.Objects;

/**
 * A client's report that it could not carry out a request, with a machine-readable code and a
 * human-readable reason. Never used for success.
 */
public record ErrorReply(String code, String reason) implements Payload {
  public ErrorReply {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(reason, "reason");
  }
}
