package dev.cohort.core.message;

import dev.cohort.core.MetricRecord;
import java.util.Objects;

/** A client's evaluation of the global model on its local data. */
public record EvaluateResult(double loss, long examples, MetricRecord metrics) implements Payload {
  public EvaluateResult {
    Objects.requireNonNull(metrics, "metrics");
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be >= 0 but was " + examples);
    }
  }
}
