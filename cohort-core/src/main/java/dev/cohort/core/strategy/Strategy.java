package dev.cohort.core.strategy;

import dev.cohort.core.ClientId;
import dev.cohort.core.aggregate.AggregatorFactory;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitResult;
import dev.cohort.tensor.ParameterSet;
import java.util.List;
import java.util.Optional;

/**
 * How a federation learns, round by round: which clients train with what settings, how their
 * updates combine, and how the combined update moves the global model. The coordinator owns the
 * round loop; a strategy only decides. Privacy and security layers are not strategies: they wrap
 * the strategy's {@link #aggregator()}.
 *
 * <p>Call order per round: {@link #configureFit}, then {@link #weight} for each valid reply, then
 * {@link #applyUpdate} with the aggregate, then {@link #configureEvaluate} and
 * {@link #aggregateEvaluate} for the new model. Implementations are used from one thread.
 */
public interface Strategy {
  /** A short name for logs and provenance, e.g. "fedavg". */
  String name();

  /**
   * Chooses the round's clients among {@code available} and the instruction for each. An empty
   * list skips the round.
   */
  List<Instruction> configureFit(RoundContext context, ParameterSet global, List<ClientId> available);

  /** How the round's updates are combined. */
  AggregatorFactory aggregator();

  /** The weight of one client's update in the aggregate (FedAvg: examples trained on). */
  double weight(FitResult result);

  /** The next global model from the current one and the round's aggregated update. */
  ParameterSet applyUpdate(RoundContext context, ParameterSet global, ParameterSet aggregatedUpdate);

  /** The smallest number of successful updates for a round to count. */
  int minFitClients();

  /**
   * The clients asked to evaluate the new global model on their local data after a completed
   * round, and their instructions; empty (the default) for no federated evaluation.
   */
  default List<Instruction> configureEvaluate(RoundContext context, ParameterSet global,
      List<ClientId> available) {
    return List.of();
  }

  /**
   * Combines the clients' evaluations into one: by default the example-weighted mean of their
   * losses and of their "accuracy" metrics; empty when no client evaluated anything.
   */
  default Optional<ModelEvaluation> aggregateEvaluate(List<EvaluateResult> results) {
    long examples = 0;
    double loss = 0;
    double accuracy = 0;
    for (EvaluateResult r : results) {
      examples += r.examples();
      loss += r.loss() * r.examples();
      accuracy += r.metrics().get("accuracy") * r.examples();
    }
    return examples == 0 ? Optional.empty()
        : Optional.of(new ModelEvaluation(loss / examples, accuracy / examples, examples));
  }
}
