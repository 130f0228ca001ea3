package dev.cohort.core.aggregate;

/**
 * What an aggregation process carries from one round to the next (an adaptive clipping norm, a
 * server optimiser's moments). Implementations are immutable records; wrappers nest the state of
 * the process they wrap.
 */
public interface AggregationState {
  /** The state of a process that keeps none. */
  AggregationState NONE = new None();

  /** The state of a stateless process. */
  record None() implements AggregationState {}
}
