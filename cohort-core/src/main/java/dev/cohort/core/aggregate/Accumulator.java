package dev.cohort.core.aggregate;

/**
 * Folds one round's contributions. Not thread-safe: the coordinator adds contributions one at a
 * time. {@link #finish()} may be called once; an accumulator abandoned without finishing leaves
 * no trace (nothing is applied to the model).
 */
public interface Accumulator {
  /** Adds a contribution; its layout must match the process's. */
  void add(Contribution contribution);

  /** The number of contributions added so far. */
  int count();

  /** The aggregate of everything added, the next state, and measurements. */
  AggregationStep finish();
}
