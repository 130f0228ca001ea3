package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.ConfigException;

/** Checks shared by the processes of a deployed federation. */
final class Deployment {
  private Deployment() {}

  /**
   * Refuses settings that exist for tests and simulations only: seeded privacy noise (the output
   * would not be private) and simulated dropouts.
   */
  static void refuseTestOnlySettings(Config c) {
    if (c.isSet("privacy", "noise_seed")) {
      throw new ConfigException("[privacy] noise_seed makes the noise reproducible, so the output is not private; "
          + "it is for tests and simulations only and a deployed federation refuses it");
    }
    if (c.number("secure_aggregation", "dropout") > 0) {
      throw new ConfigException("[secure_aggregation] dropout simulates dropouts and is for simulations only");
    }
  }
}
