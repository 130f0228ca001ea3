package dev.cohort.core.strategy;

import dev.cohort.core.ConfigKey;

/** Config keys every round's instructions carry. */
public final class RoundKeys {
  /** The round number the instruction belongs to. */
  public static final ConfigKey<Integer> ROUND = ConfigKey.of("round", Integer.class);

  /** The round's seed, from which clients derive their local seeds. */
  public static final ConfigKey<Long> SEED = ConfigKey.of("round.seed", Long.class);

  private RoundKeys() {}
}
