package dev.cohort.core.strategy;

import dev.cohort.core.MetricRecord;
import java.util.Optional;

/**
 * A check the coordinator makes before every round and a record it keeps after every completed
 * one: the seam through which a privacy budget is enforced without the round loop knowing about
 * privacy. A gate that refuses a round ends the run, with its reason, before anything of that
 * round is released. Called from the coordinator's thread only.
 */
public interface RoundGate {
  /** A gate that admits every round and records nothing. */
  RoundGate OPEN = new RoundGate() {
    @Override
    public Optional<String> refuse(int round) {
      return Optional.empty();
    }

    @Override
    public MetricRecord completed(int round, MetricRecord measurements) {
      return MetricRecord.empty();
    }
  };

  /** Empty if round {@code round} may run; otherwise why the run must stop before it. */
  Optional<String> refuse(int round);

  /**
   * Round {@code round} completed with these aggregation measurements; returns what the gate
   * reports about the run so far (e.g. privacy spent), merged into the round's measurements.
   */
  MetricRecord completed(int round, MetricRecord measurements);

  /**
   * What the gate has recorded so far (a privacy accountant's spend), for a checkpoint taken after
   * a round. The default, for gates that keep nothing, is {@link State#NONE}.
   */
  default State state() {
    return State.NONE;
  }

  /**
   * Replaces what the gate has recorded with {@code state}, taken by {@link #state()} of a gate
   * configured alike, before the first round of a resumed run. The restored state is the source of
   * truth: whatever the gate had loaded elsewhere (a ledger) is replaced.
   *
   * @throws IllegalArgumentException if {@code state} is not one this gate produces
   */
  default void restore(State state) {
    if (!(state instanceof State.None)) {
      throw new IllegalArgumentException("this gate keeps no state but was given " + state);
    }
  }

  /** A gate's recorded state: immutable, serialisable by the module that defines it. */
  interface State {
    /** The state of a gate that keeps none. */
    State NONE = new None();

    /** The state of a gate that keeps none. */
    record None() implements State {}
  }
}
