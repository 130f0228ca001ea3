package dev.cohort.core.strategy;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.Payload;
import java.util.Objects;

/** What a strategy asks one client to do in a round. */
public record Instruction(ClientId client, Payload payload) {
  public Instruction {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(payload, "payload");
  }
}
