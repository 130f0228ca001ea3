package dev.cohort.privacy.sgd;

import dev.cohort.core.ConfigKey;

/**
 * The typed settings a server sends so that clients train with DP-SGD: the same record on both
 * sides, never loose string keys.
 */
public final class DpSgdKeys {
  /** Train with DP-SGD under these settings (absent: ordinary training). */
  public static final ConfigKey<DpSgdConfig> DP_SGD = ConfigKey.of("privacy.dp_sgd", DpSgdConfig.class);

  /**
   * Calibrate the noise multiplier locally to this per-holder budget (overriding the one in
   * {@link #DP_SGD}), from the holder's own number of records.
   */
  public static final ConfigKey<DpSgdTarget> TARGET = ConfigKey.of("privacy.dp_sgd.target", DpSgdTarget.class);

  /** Seed sampling and noise reproducibly: tests only, the result is not private. */
  public static final ConfigKey<Long> TEST_SEED = ConfigKey.of("privacy.dp_sgd.test_seed", Long.class);

  private DpSgdKeys() {}
}
