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
 */
public record FitRequest(String runId, RoundContext context, ParameterSet global, List<Instruction> plan,
    ToDoubleFunction<FitResult> weight, Duration stageTimeout) {
  public FitRequest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(global, "global");
    plan = List.copyOf(plan);
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(stageTimeout, "stageTimeout");
  }

  /** The round number. */
  public int round() {
    return context.round();
  }
}
