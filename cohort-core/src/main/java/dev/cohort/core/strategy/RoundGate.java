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
}
