package dev.cohort.server;

import dev.cohort.core.aggregate.AggregationState;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.tensor.ParameterSet;
import java.util.Objects;

/**
 * Everything the round loop carries from one round to the next: what a {@link RunJournal} persists
 * after each round and what {@link Coordinator.Builder#resumeFrom} continues from. Round seeds are a
 * function of the run seed and the round number, so a run resumed from the state after round
 * {@code k} runs rounds {@code k + 1, ...} exactly as the uninterrupted run would have.
 *
 * @param lastRound the last round that ended (completed, skipped or aborted), 0 before round 1
 * @param global the global model after {@code lastRound}; not copied, callers must not change it
 * @param aggregation the aggregation process's state after {@code lastRound}
 * @param gate the round gate's state after {@code lastRound}
 */
public record RunState(int lastRound, ParameterSet global, AggregationState aggregation, RoundGate.State gate) {
  public RunState {
    if (lastRound < 0) {
      throw new IllegalArgumentException("lastRound must be >= 0 but was " + lastRound);
    }
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(gate, "gate");
  }

  /** The round a run resumed from this state runs first. */
  public int nextRound() {
    return lastRound + 1;
  }
}
