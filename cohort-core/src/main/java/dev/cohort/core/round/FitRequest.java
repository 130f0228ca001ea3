package dev.cohort.core.round;

import dev.cohort.core.message.FitResult;
import dev.cohort.core.strategy.Instruction;
import dev.cohort.core.strategy.RoundContext;
import dev.cohort.tensor.ParameterSet;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * One round's fit work as the strategy planned it.
 *
 * @param runId the run the messages belong to
 * @param context the round
 * @param global the global model the clients start from (read-only)
 * @param plan the sampled clients and their instructions
 * @param weight the strategy's weight of a client's result (FedAvg: examples)
 * @param stageTimeout how long each exchange with the clients may take
 * @param quorum the usable updates after which the round may close without waiting for the
 *     others (who are then reported late); 0 waits for every client or the timeout
 */
public record FitRequest(String runId, RoundContext context, ParameterSet global, List<Instruction> plan,
    ToDoubleFunction<FitResult> weight, Duration stageTimeout, int quorum) {
  public FitRequest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(global, "global");
    plan = List.copyOf(plan);
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(stageTimeout, "stageTimeout");
    if (quorum < 0) {
      throw new IllegalArgumentException("quorum must be >= 0 but was " + quorum);
    }
  }

  /** A request that waits for every client or the timeout. */
  public FitRequest(String runId, RoundContext context, ParameterSet global, List<Instruction> plan,
      ToDoubleFunction<FitResult> weight, Duration stageTimeout) {
    this(runId, context, global, plan, weight, stageTimeout, 0);
  }

  /** The round number. */
  public int round() {
    return context.round();
  }
}
