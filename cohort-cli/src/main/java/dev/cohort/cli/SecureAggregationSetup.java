package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.ConfigException;
import dev.cohort.core.client.Mod;
import dev.cohort.core.round.FitProtocol;
import dev.cohort.secagg.protocol.SecAggMod;
import dev.cohort.secagg.protocol.SecAggSettings;
import dev.cohort.secagg.protocol.SecureFitProtocol;
import dev.cohort.secagg.protocol.SimulatedDropout;
import dev.cohort.server.DirectFitProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the {@code [secure_aggregation]} section into the round protocol and the client mods.
 * With {@code [privacy] mode = "client-level"} the noise moves to the clients (distributed DP):
 * each adds discrete Gaussian noise so that the securely summed update carries the noise the
 * accountant charges for, and the server never sees an un-noised sum.
 */
final class SecureAggregationSetup {
  /** The protocol, the client mods (outermost first) and a line for the run log. */
  record Layer(FitProtocol protocol, List<Mod> mods, String summary) {
    /** The clients' mods, outermost first: this layer's (dropout simulation, masking), then the privacy layer's. */
    List<Mod> clientMods(PrivacySetup.Layers privacy) {
      List<Mod> all = new ArrayList<>(mods);
      all.addAll(privacy.mods());
      return all;
    }
  }

  /**
   * The layer that goes with {@code privacy}: its distributed noise, if any, and equal client
   * weights whenever a privacy mode is on.
   */
  static Layer layer(Config c, PrivacySetup.Layers privacy) {
    return layer(c, privacy.distributedNoise(), !c.string("privacy", "mode").equals("none"));
  }

  private SecureAggregationSetup() {}

  static boolean enabled(Config c) {
    return c.bool("secure_aggregation", "enabled");
  }

  /**
   * @param distributedDp the noise clients add, from the privacy layer
   * @param privateWeights whether a privacy mode is on: then every client weighs the same, since
   *     example counts are themselves private
   */
  static Layer layer(Config c, Optional<SecAggSettings.DistributedNoise> distributedDp, boolean privateWeights) {
    if (!enabled(c)) {
      for (String key : List.of("dropout")) {
        if (c.number("secure_aggregation", key) > 0) {
          throw new ConfigException("[secure_aggregation] " + key + " needs enabled = true");
        }
      }
      return new Layer(DirectFitProtocol.INSTANCE, List.of(), "secure aggregation: off");
    }
    double threshold = c.number("secure_aggregation", "threshold");
    SecAggSettings.Threshold t;
    if (threshold <= 1) {
      t = SecAggSettings.Threshold.fraction(threshold);
    } else if (threshold == Math.rint(threshold)) {
      t = SecAggSettings.Threshold.count((int) threshold);
    } else {
      throw new ConfigException("[secure_aggregation] threshold must be a fraction in (0, 1] or a whole count >= 2, got "
          + threshold);
    }
    SecAggSettings settings;
    try {
      settings = new SecAggSettings(t, c.integer("secure_aggregation", "degree"),
          c.number("secure_aggregation", "dropout_tolerance"), c.number("secure_aggregation", "clipping_range"),
          c.integer("secure_aggregation", "quantization_bits"), privateWeights ? 0 : c.integer("secure_aggregation", "weight_cap"),
          distributedDp, Runtime.getRuntime().availableProcessors());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("[secure_aggregation] " + e.getMessage());
    }
    List<Mod> mods = new ArrayList<>();
    double dropout = c.number("secure_aggregation", "dropout");
    SimulatedDropout.Stage stage = SimulatedDropout.Stage.parse(c.string("secure_aggregation", "dropout_stage"));
    if (dropout > 0) {
      mods.add(new SimulatedDropout(dropout, stage, c.longValue("data", "seed")));
    }
    mods.add(new SecAggMod());
    SecureFitProtocol protocol = new SecureFitProtocol(settings);
    String summary = "secure aggregation: " + protocol.describe() + ", X25519 by "
        + dev.cohort.secagg.crypto.KeyAgreement.engine()
        + (dropout > 0 ? String.format(Locale.ROOT, "; simulating %.0f%% dropout at the %s stage", 100 * dropout,
            stage.configName()) : "");
    return new Layer(protocol, mods, summary);
  }
}
