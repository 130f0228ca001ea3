package dev.cohort.privacy.sgd;

import dev.cohort.data.Dataset;
import dev.cohort.privacy.accounting.PoissonSampledGaussian;
import dev.cohort.privacy.noise.GaussianNoise;
import dev.cohort.tensor.kernel.VectorOps;
import dev.cohort.train.Batch;
import dev.cohort.train.GradientMode;
import dev.cohort.train.LocalTrainer;
import dev.cohort.train.Model;
import dev.cohort.train.TrainingDivergedException;
import dev.cohort.train.optim.Optimizer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * Sample-level differentially private SGD (Abadi et al., "Deep Learning with Differential
 * Privacy", CCS 2016) with the engine's per-example gradients: each step Poisson-samples a lot
 * (every record with probability q), computes every example's gradient norm without materialising
 * the gradients, then computes the weight gradients once more from that pass's output gradients
 * with each example's scaled by {@code min(1, C / ||g_i||)} (which yields the sum of clipped
 * gradients without a second full backward pass, "ghost clipping"), adds Gaussian noise of standard deviation {@code noiseMultiplier * C}, divides by the
 * expected lot size, and takes an optimiser step.
 *
 * <p>The privacy cost is exactly what {@link #privacyCost} returns: {@code steps} releases of the
 * Poisson-subsampled Gaussian at rate q, the sampling actually used. Sampling uses the
 * {@code sampling} generator and noise the {@code noise} generator; both must be secure outside
 * tests, because amplification by sampling assumes the sample is secret. Reusable and
 * thread-safe; the model is not.
 */
public final class DpSgdTrainer {
  /** Models at least this large draw their noise on a second thread, overlapping the step. */
  private static final int PARALLEL_NOISE = 1 << 15;

  private static final ExecutorService NOISE_THREADS = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "cohort-dp-noise");
    t.setDaemon(true);
    return t;
  });

  /** What a DP-SGD fit did. */
  public record Result(long steps, long examplesSeen, double meanLoss, double clippedFraction,
      PoissonSampledGaussian privacyCost) {}

  /** The privacy cost of {@code config} on a dataset of {@code n} records. */
  public static PoissonSampledGaussian privacyCost(DpSgdConfig config, int n) {
    return new PoissonSampledGaussian(config.noiseMultiplier(), config.samplingRate(n), config.steps(n));
  }

  /** Trains {@code model} in place on {@code data}. */
  public Result fit(Model model, Dataset data, DpSgdConfig config, RandomGenerator sampling,
      RandomGenerator noise) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(config, "config");
    LocalTrainer.checkCompatible(model, data);
    int n = data.size();
    double q = config.samplingRate(n);
    long steps = config.steps(n);
    int physical = config.maxPhysicalBatch();
    float clip = (float) config.clipNorm();
    float[] params = model.parameters().data();
    float[] clippedSum = new float[params.length];
    float[] weights = new float[physical];
    int[] lot = new int[Math.max(16, (int) Math.ceil(config.expectedBatchSize() * 1.5))];
    Batch batch = Batch.forDataset(data, physical);
    Optimizer optimizer = config.optimizer().create(params.length);
    double sigma = config.noiseMultiplier() * clip;
    GaussianNoise gaussian = new GaussianNoise(sigma, noise);
    // Noise does not depend on the data, so each step's noise is drawn on another thread while the
    // step computes its clipped gradient (noise costs about 7 ns per parameter, as much as a small
    // lot's whole backward pass).
    boolean overlap = params.length >= PARALLEL_NOISE;
    double[] drawn = overlap ? new double[params.length] : null;
    double lossSum = 0;
    long seen = 0;
    long clipped = 0;
    for (long step = 0; step < steps; step++) {
      CompletableFuture<Void> noiseReady = overlap
          ? CompletableFuture.runAsync(() -> gaussian.draw(drawn, 0, drawn.length), NOISE_THREADS) : null;
      int size = 0;
      // Poisson sampling by geometric gaps: the next included index is i + 1 + floor(ln U / ln(1 - q)).
      double logNot = Math.log1p(-q);
      long i = q >= 1 ? 0 : (long) Math.floor(Math.log(1 - sampling.nextDouble()) / logNot);
      while (i < n) {
        if (size == lot.length) {
          lot = java.util.Arrays.copyOf(lot, lot.length * 2);
        }
        lot[size++] = (int) i;
        i += q >= 1 ? 1 : 1 + (long) Math.floor(Math.log(1 - sampling.nextDouble()) / logNot);
      }
      java.util.Arrays.fill(clippedSum, 0f);
      for (int from = 0; from < size; from += physical) {
        int count = Math.min(physical, size - from);
        batch.fill(data, lot, from, count);
        model.forward(batch.features(), count, true);
        double loss = model.lossAndGradient(batch);
        if (!Double.isFinite(loss)) {
          throw new TrainingDivergedException(0, step, loss, "DP-SGD lot of " + size + " examples");
        }
        lossSum += loss;
        seen += count;
        model.backward(GradientMode.PER_EXAMPLE_NORMS);
        for (int e = 0; e < count; e++) {
          double norm = Math.sqrt(model.perExampleGradients().squaredNorm(e));
          if (norm > clip) {
            weights[e] = (float) (clip / norm);
            clipped++;
          } else {
            weights[e] = 1f;
          }
        }
        model.backwardScaledSum(weights); // reuses the norms pass's output gradients
        VectorOps.axpy(1f, model.gradients().data(), 0, clippedSum, 0, clippedSum.length);
      }
      if (overlap) {
        noiseReady.join();
        gaussian.addDrawn(clippedSum, drawn, 0, clippedSum.length);
      } else {
        gaussian.addTo(clippedSum, 0, clippedSum.length);
      }
      VectorOps.scale((float) (1.0 / config.expectedBatchSize()), clippedSum, 0, clippedSum.length);
      optimizer.step(params, clippedSum);
    }
    return new Result(steps, seen, seen == 0 ? Double.NaN : lossSum / seen,
        seen == 0 ? 0 : (double) clipped / seen, privacyCost(config, n));
  }
}
