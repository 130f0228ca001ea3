package dev.cohort.store;

import java.util.Objects;

/**
 * What a server needs to continue a run after a round: the global model, the strategy's state (for
 * example a server optimizer's moments) and the privacy accountant's state, all opaque to the store.
 *
 * @param model the global model after the round
 * @param strategyState the strategy's state after the round; {@link Payload#empty()} if it has none
 * @param accountantState the privacy accountant's state after the round; empty without privacy
 */
public record Checkpoint(Payload model, Payload strategyState, Payload accountantState) {
  public Checkpoint {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(strategyState, "strategyState");
    Objects.requireNonNull(accountantState, "accountantState");
  }

  /** A checkpoint of {@code model} alone. */
  public static Checkpoint ofModel(Payload model) {
    return new Checkpoint(model, Payload.empty(), Payload.empty());
  }
}
