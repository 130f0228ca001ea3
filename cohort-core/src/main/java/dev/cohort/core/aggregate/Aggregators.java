package dev.cohort.core.aggregate;

/** Static factories for the built-in aggregations. */
public final class Aggregators {
  private Aggregators() {}

  /** The mean weighted by each contribution's weight (FedAvg: examples trained on). */
  public static LinearAggregatorFactory weightedMean() {
    return new MeanFactory(true);
  }

  /** The plain mean, every contribution counting once. */
  public static LinearAggregatorFactory mean() {
    return new MeanFactory(false);
  }
}
