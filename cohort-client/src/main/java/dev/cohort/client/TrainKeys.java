package dev.cohort.client;

import dev.cohort.core.ConfigKey;
import dev.cohort.train.TrainConfig;

/** The config keys a {@link TrainingClientApp} reads from fit instructions. */
public final class TrainKeys {
  /** The local training settings for this round (epochs, batch size, optimiser, FedProx mu). */
  public static final ConfigKey<TrainConfig> TRAIN = ConfigKey.of("train", TrainConfig.class);

  private TrainKeys() {}
}
