package dev.cohort.core.round;

import dev.cohort.core.ClientId;
import dev.cohort.core.aggregate.Contribution;

/** Where a {@link FitProtocol} delivers what it collects. Called from the protocol's thread only. */
public interface FitSink {
  /** Folds a contribution into the round's aggregation. */
  void add(Contribution contribution);

  /** Reports that {@code client} has finished its part of the round, successfully or not (progress). */
  void clientFinished(ClientId client, boolean success);
}
