package dev.cohort.privacy.accounting;

import java.util.Objects;

/**
 * An epsilon guarantee at a given delta: the smallest epsilon over the tracked Rényi orders, the
 * order that achieved it and the conversion used. Epsilon is +infinity when no order gives a finite
 * bound (for example when some release had no noise).
 *
 * @param epsilon the epsilon, &gt;= 0, possibly +infinity
 * @param order the Rényi order that gave it
 * @param conversion how RDP was converted to (epsilon, delta)
 */
public record EpsilonBound(double epsilon, double order, Conversion conversion) {
  public EpsilonBound {
    if (!(epsilon >= 0)) {
      throw new IllegalArgumentException("epsilon must be >= 0 but was " + epsilon);
    }
    Objects.requireNonNull(conversion, "conversion");
  }
}
