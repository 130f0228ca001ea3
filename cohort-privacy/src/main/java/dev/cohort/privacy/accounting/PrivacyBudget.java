package dev.cohort.privacy.accounting;

/**
 * A privacy budget: the (epsilon, delta)-DP guarantee that a run, or a data holder over its
 * lifetime, must not go beyond.
 *
 * @param epsilon finite and &gt; 0
 * @param delta in (0, 1); usually well below 1 / (number of records)
 */
public record PrivacyBudget(double epsilon, double delta) {
  public PrivacyBudget {
    if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0 but was " + epsilon);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1) but was " + delta);
    }
  }

  @Override
  public String toString() {
    return "(epsilon=" + epsilon + ", delta=" + delta + ")";
  }
}
