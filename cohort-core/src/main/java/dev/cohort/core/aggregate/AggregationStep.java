package dev.cohort.core.aggregate;

import dev.cohort.core.MetricRecord;
import dev.cohort.tensor.ParameterSet;
import java.util.Objects;

/**
 * The result of one round of aggregation.
 *
 * @param state the state for the next round
 * @param result the aggregated update
 * @param measurements what the process measured (norms, clipped counts, noise), for reports
 */
public record AggregationStep(AggregationState state, ParameterSet result, MetricRecord measurements) {
  public AggregationStep {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(measurements, "measurements");
  }
}
