package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.ConfigException;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.aggregate.AggregatorFactory;
import dev.cohort.core.aggregate.Aggregators;
import dev.cohort.core.client.Mod;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.data.partition.Partition;
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
import dev.cohort.privacy.local.LocalDpMod;
import dev.cohort.privacy.noise.AesCtrRandom;
import dev.cohort.privacy.noise.ChaCha20Random;
import dev.cohort.privacy.sgd.DpSgdConfig;
import dev.cohort.privacy.sgd.DpSgdKeys;
import dev.cohort.privacy.sgd.DpSgdTarget;
import dev.cohort.secagg.protocol.SecAggSettings;
import dev.cohort.sim.Simulation;
import dev.cohort.train.TrainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Turns the {@code [privacy]} section into the layers of a run and refuses combinations whose
 * guarantee would not hold, with the reason:
 *
 * <ul>
 *   <li>{@code client-level}: the differentially private mean (clipping, server-side Gaussian
 *       noise, fixed denominator) with Poisson client sampling; the unit of privacy is a holder;
 *   <li>{@code dp-sgd}: every holder trains with DP-SGD on its own records (Poisson-sampled lots);
 *       the unit of privacy is a record, each holder's accountant follows its own size;
 *   <li>{@code local}: each holder clips and noises its update before it leaves.
 * </ul>
 *
 * Every mode enforces the budget per holder through a gate backed by the ledger of lifetime spend.
 */
final class PrivacySetup {
  /** What a privacy mode adds to a simulation. */
  record Layers(AggregatorFactory aggregator, boolean poissonSampling, RoundGate gate, List<Mod> mods,
      ConfigRecord clientConfig, Optional<SecAggSettings.DistributedNoise> distributedNoise, String summary) {}

  private PrivacySetup() {}

  static Layers layers(Config c, Partition partition, TrainConfig training, PrintStream err) {
    return layers(c, partition, training, err, null);
  }

  /**
   * The layers of a run; with {@code ledgerRun} (a stored run's name in the ledger) the gate starts
   * from what the holders spent in other runs and charges each round keyed by run and round, so a
   * resumed run restores its own spend from its checkpoint and a re-run round is charged once.
   */
  static Layers layers(Config c, Partition partition, TrainConfig training, PrintStream err, String ledgerRun) {
    String mode = c.string("privacy", "mode");
    if (mode.equals("none")) {
      return new Layers(Aggregators.weightedMean(), false, RoundGate.OPEN, List.of(), ConfigRecord.empty(),
          Optional.empty(), "privacy: none");
    }
    double epsilon = c.find("privacy", "epsilon").map(v -> ((Number) v).doubleValue()).orElseThrow(() ->
        new ConfigException("[privacy] epsilon is required when mode = \"" + mode + "\": the budget per data holder"));
    double delta = c.number("privacy", "delta");
    Conversion conversion = Conversion.parse(c.string("privacy", "conversion"));
    int rounds = c.integer("federation", "rounds");
    double fraction = c.number("federation", "fraction");
    int population = partition.numClients();
    if (c.bool("privacy", "adaptive_clipping") && !mode.equals("client-level")) {
      throw new ConfigException("[privacy] adaptive_clipping applies to mode = \"client-level\", not \"" + mode + "\"");
    }
    Supplier<RandomGenerator> rngs = noise(c, err);
    List<String> holders = Simulation.clientIds(population).stream()
        .map(id -> c.string("data", "dataset") + "/" + id.value()).toList();

    // Per-holder release per round, grouped by identical mechanisms.
    Map<PoissonSampledGaussian, List<String>> perRound = new LinkedHashMap<>();
    double z;
    AggregatorFactory aggregator = Aggregators.weightedMean();
    boolean poisson = false;
    List<Mod> mods = List.of();
    ConfigRecord clientConfig = ConfigRecord.empty();
    double clipNorm = c.number("privacy", "clipping_norm");
    String unit;
    Optional<SecAggSettings.DistributedNoise> distributed = Optional.empty();
    boolean secure = SecureAggregationSetup.enabled(c);
    switch (mode) {
      case "client-level", "local" -> {
        checkDelta(delta, population, "data holders");
        boolean local = mode.equals("local");
        // Local DP: the server sees every noised update of the holders it sampled, so there is no
        // amplification by sampling; each round is charged to every holder at sampling rate 1.
        double q = local ? 1.0 : fraction;
        z = noiseMultiplier(c, () -> NoiseCalibration.noiseMultiplier(epsilon, delta, q, rounds, conversion,
            RenyiOrders.DEFAULT));
        perRound.put(new PoissonSampledGaussian(z, q, 1), holders);
        if (local) {
          mods = List.of(new LocalDpMod(clipNorm, z, rngs));
        } else if (secure) {
          // Distributed DP: the server only ever sees the securely summed update, so the clients
          // clip and add the noise themselves (discrete Gaussian shares of it).
          if (c.bool("privacy", "adaptive_clipping")) {
            throw new ConfigException("[privacy] adaptive_clipping needs the server to count clipped updates in the "
                + "clear, which secure aggregation prevents; use a fixed clipping_norm with [secure_aggregation]");
          }
          distributed = Optional.of(new SecAggSettings.DistributedNoise(clipNorm, z));
          aggregator = Aggregators.mean();
          poisson = true;
        } else {
          double expected = fraction * population;
          ClipSettings clip = c.bool("privacy", "adaptive_clipping")
              ? new ClipSettings.Adaptive(clipNorm, c.number("privacy", "target_quantile"),
                  c.number("privacy", "clip_learning_rate"),
                  c.find("privacy", "clipped_count_stddev").map(v -> ((Number) v).doubleValue())
                      .orElse(0.05 * expected))
              : new ClipSettings.Fixed(clipNorm);
          try {
            aggregator = new DpMeanFactory(z, clip, expected, rngs);
          } catch (IllegalArgumentException e) {
            throw new ConfigException("[privacy] " + e.getMessage());
          }
          poisson = true;
        }
        unit = String.format(Locale.ROOT, "a holder; sample rate %s; %s clipping from %s%s", q,
            c.bool("privacy", "adaptive_clipping") ? "adaptive" : "fixed", clipNorm,
            distributed.isPresent() ? "; noise added by the clients as discrete Gaussians under secure aggregation" : "");
      }
      case "dp-sgd" -> {
        int smallest = Integer.MAX_VALUE;
        for (int i = 0; i < population; i++) {
          smallest = Math.min(smallest, partition.size(i));
        }
        checkDelta(delta, smallest, "records of the smallest holder");
        DpSgdConfig probe = new DpSgdConfig(1.0, clipNorm, training.batchSize(), training.epochs(),
            c.integer("privacy", "max_physical_batch"), training.optimizer());
        for (int i = 0; i < population; i++) {
          int n = partition.size(i);
          if (probe.expectedBatchSize() > n) {
            throw new ConfigException("[train] batch_size " + probe.expectedBatchSize() + " (the expected DP-SGD lot)"
                + " exceeds the " + n + " records of holder " + holders.get(i));
          }
        }
        // Each holder meets the budget on its own records: it calibrates its own noise multiplier
        // from its size (larger holders add less noise), unless one is given for everyone.
        Optional<Double> fixedZ = c.find("privacy", "noise_multiplier").map(v -> ((Number) v).doubleValue());
        DpSgdTarget target = new DpSgdTarget(epsilon, delta, rounds, conversion);
        Map<Integer, Double> bySize = new LinkedHashMap<>();
        double minZ = Double.POSITIVE_INFINITY;
        double maxZ = 0;
        for (int i = 0; i < population; i++) {
          int n = partition.size(i);
          double zi = fixedZ.orElseGet(() -> bySize.computeIfAbsent(n, size -> target.noiseMultiplier(probe, size)));
          minZ = Math.min(minZ, zi);
          maxZ = Math.max(maxZ, zi);
          perRound.computeIfAbsent(new PoissonSampledGaussian(zi, probe.samplingRate(n), probe.steps(n)),
              k -> new ArrayList<>()).add(holders.get(i));
        }
        z = maxZ;
        DpSgdConfig dp = probe.withNoiseMultiplier(maxZ);
        ConfigRecord.Builder cc = ConfigRecord.builder().put(DpSgdKeys.DP_SGD, dp);
        if (fixedZ.isEmpty()) {
          cc.put(DpSgdKeys.TARGET, target);
        }
        c.find("privacy", "noise_seed").ifPresent(s -> cc.put(DpSgdKeys.TEST_SEED, ((Number) s).longValue()));
        clientConfig = cc.build();
        aggregator = Aggregators.weightedMean(); // every DP-SGD update weighs 1: sizes stay private
        unit = String.format(Locale.ROOT, "a record; noise multipliers %.4f to %.4f by holder size; lot %d "
            + "(Poisson), clipping norm %s, %s local epochs per round", minZ, maxZ, training.batchSize(), clipNorm,
            training.epochs());
      }
      default -> throw new ConfigException("unsupported [privacy] mode " + mode);
    }

    PrivacyLedger ledger = openLedger(c);
    PrivacyBudget budget = new PrivacyBudget(epsilon, delta);
    List<PrivacyBudgetGate.Group> groups = new ArrayList<>();
    double priorWorst = 0;
    for (var e : perRound.entrySet()) {
      PrivacyAccountant spent = ledger.mostSpentExcept(e.getValue(), ledgerRun, conversion, delta);
      if (!spent.events().isEmpty()) {
        priorWorst = Math.max(priorWorst, spent.epsilon(delta).epsilon());
      }
      groups.add(new PrivacyBudgetGate.Group(e.getValue(), e.getKey(), spent));
    }
    RoundGate gate = new PrivacyBudgetGate(budget, groups, (round, h, ev, total) -> {
      if (ledgerRun == null) {
        ledger.charge(h, ev);
      } else {
        ledger.charge(ledgerRun, round, h, ev);
      }
    });
    String prior = priorWorst == 0 ? "nothing spent before"
        : String.format(Locale.ROOT, "epsilon %.4f already spent (ledger %s)", priorWorst, ledger.file());
    String summary = String.format(Locale.ROOT, "privacy: %s DP, budget (%s, %s) per holder, noise multiplier "
        + "%.4f, unit of privacy %s, %s conversion; %s", mode, epsilon, delta, z, unit, conversion.label(), prior);
    return new Layers(aggregator, poisson, gate, mods, clientConfig, distributed, summary);
  }

  private static void checkDelta(double delta, int n, String what) {
    if (delta >= 1.0 / n) {
      throw new ConfigException(String.format(Locale.ROOT, "[privacy] delta must be < 1/N = %.3g for N = %d %s "
          + "(a larger delta allows releasing one of them outright), got %s", 1.0 / n, n, what, delta));
    }
  }

  private static double noiseMultiplier(Config c, Supplier<Double> calibrate) {
    return c.find("privacy", "noise_multiplier").map(v -> ((Number) v).doubleValue()).orElseGet(calibrate);
  }

  private static PrivacyLedger openLedger(Config c) {
    Path file = Path.of(c.string("privacy", "ledger"));
    try {
      return PrivacyLedger.open(file);
    } catch (IOException e) {
      throw new UserFacingException("cannot read the privacy ledger: " + e.getMessage(), 2);
    }
  }

  private static Supplier<RandomGenerator> noise(Config c, PrintStream err) {
    if (c.find("privacy", "noise_seed").isEmpty()) {
      return AesCtrRandom::secure;
    }
    long seed = c.longValue("privacy", "noise_seed");
    err.println("WARNING: [privacy] noise_seed is set: the noise is reproducible, so the output is NOT private."
        + " Use it only for tests.");
    AtomicLong draws = new AtomicLong();
    return () -> ChaCha20Random.seededForTests(seed * 1_000_003L + draws.incrementAndGet());
  }
}
