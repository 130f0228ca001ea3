package dev.cohort.train;

import dev.cohort.train.optim.OptimizerSpec;
import java.util.Objects;

/**
 * How {@link LocalTrainer#fit} trains: {@code epochs} passes over the data in shuffled minibatches
 * of {@code batchSize} (the last one may be smaller), stepping {@code optimizer} on the gradient
 * of each batch's mean loss.
 *
 * <p>{@code proximalMu > 0} adds FedProx's proximal term (Li et al. 2020), {@code (mu/2) ||w -
 * w_anchor||^2}, i.e. {@code mu (w - w_anchor)} on every gradient, where the anchor is the global
 * model (by default the parameters at the start of the fit). With {@code keepOptimizerState} the
 * trainer carries momentum and Adam moments from one fit to the next (same parameter count);
 * otherwise every fit starts from fresh optimiser state. Immutable; validated on construction.
 */
public record TrainConfig(int epochs, int batchSize, OptimizerSpec optimizer, double proximalMu,
    boolean keepOptimizerState) {

  public TrainConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1 but was " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    if (!(proximalMu >= 0) || Double.isInfinite(proximalMu)) {
      throw new IllegalArgumentException(
          "proximalMu must be >= 0 and finite but was " + proximalMu);
    }
  }

  /** No proximal term, fresh optimiser state per fit. */
  public static TrainConfig of(int epochs, int batchSize, OptimizerSpec optimizer) {
    return new TrainConfig(epochs, batchSize, optimizer, 0, false);
  }

  /** This configuration with FedProx's {@code mu}. */
  public TrainConfig withProximalMu(double mu) {
    return new TrainConfig(epochs, batchSize, optimizer, mu, keepOptimizerState);
  }

  /** This configuration with optimiser state kept (or not) across fits. */
  public TrainConfig withKeepOptimizerState(boolean keep) {
    return new TrainConfig(epochs, batchSize, optimizer, proximalMu, keep);
  }
}
