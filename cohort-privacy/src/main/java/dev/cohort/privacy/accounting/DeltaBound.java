package dev.cohort.privacy.accounting;

import java.util.Objects;

/**
 * A delta guarantee at a given epsilon: the smallest delta over the tracked Rényi orders, the order
 * that achieved it and the conversion used.
 *
 * @param delta the delta, in [0, 1]
 * @param order the Rényi order that gave it
 * @param conversion how RDP was converted to (epsilon, delta)
 */
public record DeltaBound(double delta, double order, Conversion conversion) {
  public DeltaBound {
    if (!(delta >= 0 && delta <= 1)) {
      throw new IllegalArgumentException("delta must be in [0, 1] but was " + delta);
    }
    Objects.requireNonNull(conversion, "conversion");
  }
}
