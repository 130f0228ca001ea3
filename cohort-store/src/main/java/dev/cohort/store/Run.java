package dev.cohort.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A federated run as stored: its configuration (the federation TOML, as text), seed and status.
 *
 * @param id the store's identifier, positive
 * @param name a human name, not necessarily unique
 * @param config the run's configuration text (TOML); the store does not parse it
 * @param seed the run's seed
 * @param status where the run stands
 * @param stopReason why a finished run finished, if a reason was given
 * @param createdAt when the run was created
 * @param updatedAt when a round was last committed or the status last changed
 */
public record Run(long id, String name, String config, long seed, RunStatus status,
    Optional<String> stopReason, Instant createdAt, Instant updatedAt) {
  public Run {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(stopReason, "stopReason");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
