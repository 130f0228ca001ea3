package dev.cohort.core.message;

import dev.cohort.core.MetricRecord;
import dev.cohort.tensor.ParameterSet;
import java.util.Objects;

/**
 * A client's answer to a {@link FitInstruction}: its model update (local parameters minus the
 * global ones it started from), how many examples it trained on, and its own metrics.
 */
public record FitResult(ParameterSet update, long examples, MetricRecord metrics) implements Payload {
  public FitResult {
    Objects.requireNonNull(update, "update");
    Objects.requireNonNull(metrics, "metrics");
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be >= 0 but was " + examples);
    }
  }
}
