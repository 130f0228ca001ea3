package dev.cohort.privacy.sgd;

import dev.cohort.train.optim.OptimizerSpec;
import java.util.Objects;

/**
 * The settings of sample-level DP-SGD (Abadi et al., CCS 2016) on one data holder's records.
 *
 * @param noiseMultiplier noise standard deviation over the clipping norm, > 0
 * @param clipNorm the per-example L2 clipping norm C, > 0
 * @param expectedBatchSize the expected lot size L; each step includes every record independently
 *     with probability q = L / N (Poisson sampling, which the accountant assumes)
 * @param epochs passes over the data in expectation: steps = round(epochs / q)
 * @param maxPhysicalBatch the most examples pushed through the model at once (memory bound; a lot
 *     larger than this is processed in pieces whose clipped sums are added)
 * @param optimizer the optimiser applied to the noised mean gradient
 */
public record DpSgdConfig(double noiseMultiplier, double clipNorm, int expectedBatchSize, double epochs,
    int maxPhysicalBatch, OptimizerSpec optimizer) {
  public DpSgdConfig {
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and > 0 but was " + noiseMultiplier);
    }
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipping norm must be finite and > 0 but was " + clipNorm);
    }
    if (expectedBatchSize < 1) {
      throw new IllegalArgumentException("expected batch size must be >= 1 but was " + expectedBatchSize);
    }
    if (!(epochs > 0) || Double.isInfinite(epochs)) {
      throw new IllegalArgumentException("epochs must be finite and > 0 but was " + epochs);
    }
    if (maxPhysicalBatch < 1) {
      throw new IllegalArgumentException("max physical batch must be >= 1 but was " + maxPhysicalBatch);
    }
    Objects.requireNonNull(optimizer, "optimizer");
  }

  /** These settings with another noise multiplier. */
  public DpSgdConfig withNoiseMultiplier(double z) {
    return new DpSgdConfig(z, clipNorm, expectedBatchSize, epochs, maxPhysicalBatch, optimizer);
  }

  /** The Poisson sampling rate q = L / N on a dataset of {@code n} records. */
  public double samplingRate(int n) {
    if (expectedBatchSize > n) {
      throw new IllegalArgumentException("expected batch size " + expectedBatchSize + " exceeds the " + n
          + " records of the dataset");
    }
    return (double) expectedBatchSize / n;
  }

  /** The number of steps on a dataset of {@code n} records: round(epochs * N / L). */
  public long steps(int n) {
    return Math.max(1, Math.round(epochs / samplingRate(n)));
  }
}
