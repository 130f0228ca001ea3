package dev.cohort.client;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.client.ClientApp;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.strategy.RoundKeys;
import dev.cohort.data.Dataset;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.kernel.VectorOps;
import dev.cohort.train.Evaluation;
import dev.cohort.train.LocalTrainer;
import dev.cohort.train.Model;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.TrainResult;
import dev.cohort.privacy.noise.AesCtrRandom;
import dev.cohort.privacy.noise.ChaCha20Random;
import dev.cohort.privacy.sgd.DpSgdConfig;
import dev.cohort.privacy.sgd.DpSgdKeys;
import dev.cohort.privacy.sgd.DpSgdTarget;
import dev.cohort.privacy.sgd.DpSgdTrainer;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A data holder that trains the global model on its local {@link Dataset}: loads the global
 * parameters into its thread's model, trains with the round's {@link TrainConfig} (from the
 * instruction's config, else its own default), or with DP-SGD when the config carries
 * {@link DpSgdKeys#DP_SGD}, and returns the update, local minus global.
 * Evaluation reports loss and accuracy on the local data. Thread-safe: all per-request state is
 * on the stack or in the thread's pooled model.
 */
public final class TrainingClientApp implements ClientApp {
  private final Dataset data;
  private final ModelPool models;
  private final TrainConfig defaults;
  private final LocalTrainer trainer = new LocalTrainer();

  public TrainingClientApp(Dataset data, ModelPool models, TrainConfig defaults) {
    this.data = Objects.requireNonNull(data, "data");
    this.models = Objects.requireNonNull(models, "models");
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    if (data.size() == 0) {
      throw new IllegalArgumentException("client dataset " + data.name() + " is empty");
    }
  }

  @Override
  public FitResult fit(FitInstruction instruction, ClientContext context) {
    ParameterSet global = instruction.global();
    TrainConfig config = instruction.config().get(TrainKeys.TRAIN, defaults);
    long seed = context.localSeed(instruction.config().get(RoundKeys.SEED, (long) context.round()));
    Model model = models.local();
    model.loadParameters(global);
    MetricRecord metrics;
    Optional<DpSgdConfig> dp = instruction.config().find(DpSgdKeys.DP_SGD);
    if (dp.isPresent()) {
      Optional<Long> testSeed = instruction.config().find(DpSgdKeys.TEST_SEED);
      RandomGenerator sampling = testSeed.isPresent()
          ? ChaCha20Random.seededForTests(testSeed.get() ^ seed) : AesCtrRandom.secure();
      RandomGenerator noise = testSeed.isPresent()
          ? ChaCha20Random.seededForTests(~(testSeed.get() ^ seed)) : AesCtrRandom.secure();
      DpSgdConfig settings = dp.get();
      Optional<DpSgdTarget> target = instruction.config().find(DpSgdKeys.TARGET);
      if (target.isPresent()) {
        settings = settings.withNoiseMultiplier(target.get().noiseMultiplier(settings, data.size()));
      }
      DpSgdTrainer.Result r = new DpSgdTrainer().fit(model, data, settings, sampling, noise);
      metrics = MetricRecord.of("loss", r.meanLoss(), "steps", r.steps(), "dp.clipped_fraction", r.clippedFraction(),
          "dp.noise_multiplier", settings.noiseMultiplier());
    } else {
      TrainResult result = trainer.fit(model, data, config, seed);
      metrics = MetricRecord.of("loss", result.meanLoss(), "steps", result.steps());
    }
    ParameterSet update = model.parameters().copy();
    VectorOps.axpy(-1f, global.data(), 0, update.data(), 0, update.size());
    // Under DP-SGD the example count is itself private, so every holder weighs the same.
    return new FitResult(update, dp.isPresent() ? 1 : data.size(), metrics);
  }

  @Override
  public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
    Model model = models.local();
    model.loadParameters(instruction.global());
    Evaluation e = trainer.evaluate(model, data, Math.max(256, defaults.batchSize()));
    return new EvaluateResult(e.meanLoss(), e.examples(), MetricRecord.of("accuracy", e.accuracy()));
  }
}
