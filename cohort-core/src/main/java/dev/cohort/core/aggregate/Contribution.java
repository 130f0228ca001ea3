package dev.cohort.core.aggregate;

import dev.cohort.core.ClientId;
import dev.cohort.tensor.ParameterSet;
import java.util.Objects;

/**
 * One client's update offered to an aggregation, with its weight (for FedAvg, the number of
 * examples it trained on). The update is read-only to the aggregation.
 */
public record Contribution(ClientId client, ParameterSet update, double weight) {
  public Contribution {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(update, "update");
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight of " + client + " must be finite and >= 0 but was " + weight);
    }
  }
}
