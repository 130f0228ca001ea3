package dev.cohort.core.aggregate;

/**
 * A stateful aggregation for one model layout: {@link #initialState()} once per run, then per
 * round {@link #begin(AggregationState)}, {@link Accumulator#add} for each contribution as it
 * arrives, and {@link Accumulator#finish()}, which yields the next round's state.
 */
public interface AggregationProcess {
  /** The state before the first round. */
  AggregationState initialState();

  /** Starts a round from {@code state}. */
  Accumulator begin(AggregationState state);
}
