package dev.cohort.store;

/**
 * The privacy budget spent by a run so far, as (epsilon, delta)-differential privacy.
 *
 * @param epsilon the epsilon spent, finite and {@code >= 0}
 * @param delta the delta, in [0, 1]
 */
public record PrivacySpent(double epsilon, double delta) {
  public PrivacySpent {
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0 but was " + epsilon);
    }
    if (!(delta >= 0 && delta <= 1)) {
      throw new IllegalArgumentException("delta must be in [0, 1] but was " + delta);
    }
  }
}
