package dev.cohort.server;

import dev.cohort.tensor.ParameterSet;
import java.util.List;
import java.util.Objects;

/**
 * The end of a run: every round's outcome, the final global model and why the run stopped.
 *
 * @param rounds the outcome of each round, in order
 * @param finalParameters the global model after the last completed round
 * @param stopReason why the run ended
 * @param stopDetail a human-readable explanation of the stop (the gate's reason when refused)
 * @param seconds wall-clock seconds of the whole run
 */
public record RunResult(List<RoundOutcome> rounds, ParameterSet finalParameters, StopReason stopReason,
    String stopDetail, double seconds) {
  /** Why a run ended. */
  public enum StopReason {
    /** The planned number of rounds ran. */
    ROUNDS_DONE,
    /** The central evaluation reached the target accuracy. */
    TARGET_REACHED,
    /** A round gate refused the next round (e.g. it would exceed the privacy budget). */
    REFUSED
  }

  public RunResult {
    rounds = List.copyOf(rounds);
    Objects.requireNonNull(finalParameters, "finalParameters");
    Objects.requireNonNull(stopReason, "stopReason");
    Objects.requireNonNull(stopDetail, "stopDetail");
  }

  /** The last round that changed the global model, if any did. */
  public java.util.Optional<RoundOutcome.Completed> lastCompleted() {
    for (int i = rounds.size() - 1; i >= 0; i--) {
      if (rounds.get(i) instanceof RoundOutcome.Completed c) {
        return java.util.Optional.of(c);
      }
    }
    return java.util.Optional.empty();
  }
}
