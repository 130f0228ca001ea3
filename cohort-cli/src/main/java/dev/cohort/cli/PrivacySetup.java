package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.ConfigException;
import dev.cohort.core.ClientId;
import dev.cohort.core.aggregate.AggregatorFactory;
import dev.cohort.core.client.Mod;
import dev.cohort.privacy.local.LocalDpMod;
import dev.cohort.core.aggregate.Aggregators;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.accounting.NoiseCalibration;
import dev.cohort.privacy.accounting.PoissonSampledGaussian;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.PrivacyBudget;
import dev.cohort.privacy.accounting.RenyiOrders;
import dev.cohort.privacy.aggregate.ClipSettings;
import dev.cohort.privacy.aggregate.DpMeanFactory;
import dev.cohort.privacy.budget.PrivacyBudgetGate;
import dev.cohort.privacy.budget.PrivacyLedger;
import dev.cohort.privacy.noise.ChaCha20Random;
import dev.cohort.sim.Simulation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Turns the {@code [privacy]} section into the layers of a run: for client-level DP, the
 * differentially private mean (clipping, server-side Gaussian noise, fixed denominator), Poisson
 * client sampling, and a budget gate backed by the per-holder ledger. Refuses combinations whose
 * guarantee would not hold, with the reason.
 */
final class PrivacySetup {
  /** What a privacy mode adds to a simulation. */
  record Layers(AggregatorFactory aggregator, boolean poissonSampling, RoundGate gate, List<Mod> mods,
      String summary) {}

  private PrivacySetup() {}

  static Layers layers(Config c, int population, PrintStream err) {
    String mode = c.string("privacy", "mode");
    if (mode.equals("none")) {
      return new Layers(Aggregators.weightedMean(), false, RoundGate.OPEN, List.of(), "privacy: none");
    }
    if (!mode.equals("client-level") && !mode.equals("local")) {
      throw new ConfigException("[privacy] mode \"" + mode + "\" is not available in this build; use none, "
          + "client-level or local");
    }
    boolean local = mode.equals("local");
    double epsilon = c.find("privacy", "epsilon").map(v -> ((Number) v).doubleValue()).orElseThrow(() ->
        new ConfigException("[privacy] epsilon is required when mode = \"" + mode + "\": the budget per data holder"));
    double delta = c.number("privacy", "delta");
    if (delta >= 1.0 / population) {
      throw new ConfigException(String.format(Locale.ROOT, "[privacy] delta must be < 1/N = %.3g for N = %d data "
          + "holders (a larger delta allows releasing one holder's data outright), got %s", 1.0 / population,
          population, delta));
    }
    Conversion conversion = Conversion.parse(c.string("privacy", "conversion"));
    double fraction = c.number("federation", "fraction");
    // Local DP: the server sees every noised update of the holders it sampled, so there is no
    // amplification by sampling; each round is charged to every holder at sampling rate 1.
    double sampleRate = local ? 1.0 : fraction;
    int rounds = c.integer("federation", "rounds");
    double z = c.find("privacy", "noise_multiplier").map(v -> ((Number) v).doubleValue())
        .orElseGet(() -> NoiseCalibration.noiseMultiplier(epsilon, delta, sampleRate, rounds, conversion,
            RenyiOrders.DEFAULT));
    double expected = fraction * population;
    ClipSettings clip = c.bool("privacy", "adaptive_clipping")
        ? new ClipSettings.Adaptive(c.number("privacy", "clipping_norm"), c.number("privacy", "target_quantile"),
            c.number("privacy", "clip_learning_rate"),
            c.find("privacy", "clipped_count_stddev").map(v -> ((Number) v).doubleValue()).orElse(0.05 * expected))
        : new ClipSettings.Fixed(c.number("privacy", "clipping_norm"));
    Supplier<RandomGenerator> rngs = noise(c, err);
    if (local && c.bool("privacy", "adaptive_clipping")) {
      throw new ConfigException("[privacy] adaptive_clipping applies to mode = \"client-level\", not \"local\"");
    }
    DpMeanFactory dp;
    try {
      dp = new DpMeanFactory(z, clip, expected, rngs);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("[privacy] " + e.getMessage());
    }
    PrivacyBudget budget = new PrivacyBudget(epsilon, delta);
    PoissonSampledGaussian perRound = new PoissonSampledGaussian(z, sampleRate, 1);
    Path ledgerFile = Path.of(c.string("privacy", "ledger"));
    PrivacyLedger ledger;
    try {
      ledger = PrivacyLedger.open(ledgerFile);
    } catch (IOException e) {
      throw new UserFacingException("cannot read the privacy ledger: " + e.getMessage(), 2);
    }
    String datasetName = c.string("data", "dataset");
    List<String> holders = Simulation.clientIds(population).stream()
        .map(ClientId::value).map(id -> datasetName + "/" + id).toList();
    PrivacyAccountant spent = ledger.mostSpent(holders, conversion, delta);
    PrivacyBudgetGate gate = new PrivacyBudgetGate(budget, perRound, spent, a -> ledger.charge(holders, perRound));
    String prior = spent.events().isEmpty() ? "nothing spent before"
        : String.format(Locale.ROOT, "epsilon %.4f already spent (ledger %s)", spent.epsilon(delta).epsilon(), ledgerFile);
    String summary = String.format(Locale.ROOT, "privacy: %s DP, budget (%s, %s) per holder, noise "
        + "multiplier %.4f, sample rate %s, %s clipping from %s, %s conversion; %s", mode, epsilon, delta, z,
        sampleRate, clip instanceof ClipSettings.Adaptive ? "adaptive" : "fixed", clip.initialNorm(),
        conversion.label(), prior);
    if (local) {
      return new Layers(Aggregators.weightedMean(), false, gate,
          List.of(new LocalDpMod(clip.initialNorm(), z, rngs)), summary);
    }
    return new Layers(dp, true, gate, List.of(), summary);
  }

  private static Supplier<RandomGenerator> noise(Config c, PrintStream err) {
    if (c.find("privacy", "noise_seed").isEmpty()) {
      return ChaCha20Random::secure;
    }
    long seed = c.longValue("privacy", "noise_seed");
    err.println("WARNING: [privacy] noise_seed is set: the noise is reproducible, so the output is NOT private."
        + " Use it only for tests.");
    java.util.concurrent.atomic.AtomicLong draws = new java.util.concurrent.atomic.AtomicLong();
    return () -> ChaCha20Random.seededForTests(seed * 1_000_003L + draws.incrementAndGet());
  }
}
