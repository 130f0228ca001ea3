package dev.cohort.server;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.transport.ClientFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a round ended. Every round ends as exactly one of these, never silently: a round either
 * changed the global model ({@link Completed}), did not start ({@link Skipped}), or started and
 * changed nothing ({@link Aborted}).
 */
public sealed interface RoundOutcome {
  /** The round number (1-based). */
  int round();

  /** Wall-clock seconds the round took. */
  double seconds();

  /**
   * The round applied an aggregate of {@code contributors} updates to the global model.
   *
   * @param round the round number
   * @param sampled how many clients were asked to train
   * @param contributors how many updates were aggregated
   * @param failures the clients that failed, with reasons
   * @param trainLoss the clients' mean training loss weighted by examples
   * @param evaluation the central evaluation of the new global model, if any
   * @param federatedEvaluation the clients' evaluation of the new global model on their data, if any
   * @param measurements what the aggregation measured
   * @param seconds wall-clock seconds
   */
  record Completed(int round, int sampled, int contributors, List<ClientFailure> failures,
      double trainLoss, Optional<ModelEvaluation> evaluation, Optional<ModelEvaluation> federatedEvaluation,
      MetricRecord measurements, double seconds) implements RoundOutcome {
    public Completed {
      failures = List.copyOf(failures);
      Objects.requireNonNull(evaluation, "evaluation");
      Objects.requireNonNull(federatedEvaluation, "federatedEvaluation");
      Objects.requireNonNull(measurements, "measurements");
    }
  }

  /** The round did not start, for {@code reason} (e.g. too few clients connected). */
  record Skipped(int round, String reason, double seconds) implements RoundOutcome {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The round started but was abandoned for {@code cause}; the global model is unchanged. */
  record Aborted(int round, String cause, List<ClientFailure> failures, double seconds)
      implements RoundOutcome {
    public Aborted {
      Objects.requireNonNull(cause, "cause");
      failures = List.copyOf(failures);
    }
  }
}
