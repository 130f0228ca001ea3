package dev.cohort.secagg.protocol;

import dev.cohort.privacy.noise.DiscreteGaussian;
import dev.cohort.secagg.encoding.Quantizer;
import java.util.random.RandomGenerator;

/**
 * How a client turns its update into integers modulo 2^32 for secure summation, and how the server
 * turns the unmasked sum back into the mean update. The server chooses it and sends it in the
 * round's setup, so the two halves cannot disagree. Immutable.
 */
public sealed interface EncodingSpec {

  /** The number of integers a client sends for an update of {@code dimension} floats. */
  int vectorLength(int dimension);

  /**
   * Encodes {@code update} (finite values only) of a client that trained on {@code examples}
   * examples; {@code rng} drives randomised rounding and noise.
   */
  int[] encode(float[] update, long examples, RandomGenerator rng);

  /** The mean update and its total weight from the modulo-2^32 sum of {@code contributors} encodings. */
  Decoded decode(int[] sum, int contributors);

  /** A decoded sum: the (weighted) mean update and the sum of the weights. */
  record Decoded(float[] mean, double weight) {}

  /**
   * Per-coordinate clipping to [-range, range] and deterministic quantisation with {@code bits}
   * bits ({@link Quantizer}), with the client's weight as an extra coordinate so that the server
   * recovers the example-weighted mean: a client scales its update by
   * {@code a = min(1, examples / weightCap)} and appends {@code a}; the mean is
   * {@code sum(a x) / sum(a)}. A {@code weightCap} of 0 weighs every client equally. The sum of
   * {@code cohortSize} encodings cannot wrap modulo 2^32 (see {@link Quantizer#maxBits}).
   */
  record Quantized(double range, int bits, int cohortSize, long weightCap) implements EncodingSpec {
    public Quantized {
      new Quantizer(range, bits, cohortSize); // validates
      if (weightCap < 0) {
        throw new IllegalArgumentException("weightCap must be >= 0 but was " + weightCap);
      }
    }

    /** The most bits a cohort of {@code cohortSize} allows. */
    public static Quantized widest(double range, int cohortSize, long weightCap) {
      return new Quantized(range, Quantizer.maxBits(cohortSize), cohortSize, weightCap);
    }

    @Override
    public int vectorLength(int dimension) {
      return dimension + 1;
    }

    @Override
    public int[] encode(float[] update, long examples, RandomGenerator rng) {
      double a = weightCap == 0 ? 1.0 : Math.min(1.0, (double) examples / weightCap);
      int[] out = new int[update.length + 1];
      new Quantizer(range, bits, cohortSize).encodeScaled(update, a, out);
      out[update.length] = new Quantizer(1.0, bits, cohortSize).encode(new float[] {(float) a})[0];
      return out;
    }

    @Override
    public Decoded decode(int[] sum, int contributors) {
      int d = sum.length - 1;
      double meanWeight = new Quantizer(1.0, bits, cohortSize).decodeMean(new int[] {sum[d]}, contributors)[0];
      if (!(meanWeight > 0)) {
        throw new IllegalStateException("the decoded total weight is " + meanWeight * contributors
            + "; every contribution had a zero weight");
      }
      // The mean of the scaled updates divided by the mean weight, in one pass over the sum.
      float[] mean = new Quantizer(range, bits, cohortSize).decodeMean(sum, d, contributors, meanWeight);
      return new Decoded(mean, meanWeight * contributors * (weightCap == 0 ? 1 : weightCap));
    }
  }

  /**
   * Distributed differential privacy (Kairouz, Liu and Steinke, "The Distributed Discrete Gaussian
   * Mechanism for Federated Learning with Secure Aggregation", ICML 2021): each client clips its
   * update to L2 norm {@code clipNorm}, divides by the step {@code gamma}, rounds each coordinate
   * randomly and without bias, resampling until the integer vector's norm is within the paper's
   * conditional-rounding bound (beta = e^-0.5), and adds discrete Gaussian noise of scale
   * {@code noiseSteps} per coordinate. The sum of n clients then carries noise of variance about
   * {@code n noiseSteps^2} steps^2. Every client counts equally (user-level DP). {@code gamma} is
   * chosen so that the sum of {@code cohortSize} encodings, noise included, stays within
   * +-2^31 except with negligible probability (more than 10 standard deviations of the noise).
   */
  record DistributedDp(double clipNorm, double gamma, double noiseSteps, int cohortSize) implements EncodingSpec {
    private static final double BETA = Math.exp(-0.5);

    public DistributedDp {
      if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
        throw new IllegalArgumentException("clipNorm must be finite and > 0 but was " + clipNorm);
      }
      if (!(gamma > 0) || Double.isInfinite(gamma)) {
        throw new IllegalArgumentException("gamma must be finite and > 0 but was " + gamma);
      }
      if (!(noiseSteps >= 0.5) || Double.isInfinite(noiseSteps)) {
        throw new IllegalArgumentException("noiseSteps must be finite and >= 0.5 but was " + noiseSteps);
      }
      if (cohortSize < 1) {
        throw new IllegalArgumentException("cohortSize must be >= 1 but was " + cohortSize);
      }
      double bound = cohortSize * (clipNorm / gamma + 1) + 10 * Math.sqrt(cohortSize) * noiseSteps;
      if (bound >= 0x1p31) {
        throw new IllegalArgumentException("the sum of " + cohortSize + " clients could reach " + (long) bound
            + " steps and wrap modulo 2^32; increase gamma or lower the noise");
      }
    }

    /**
     * The settings that give the aggregated sum of at least {@code minContributors} clients a
     * Gaussian-equivalent noise multiplier of {@code noiseMultiplier} relative to the L2
     * sensitivity, for updates of {@code dimension} floats.
     */
    public static DistributedDp forNoiseMultiplier(double clipNorm, double noiseMultiplier, int cohortSize,
        int minContributors, int dimension) {
      if (!(noiseMultiplier > 0)) {
        throw new IllegalArgumentException("noiseMultiplier must be > 0 but was " + noiseMultiplier);
      }
      if (minContributors < 1 || minContributors > cohortSize) {
        throw new IllegalArgumentException("minContributors must be in [1, " + cohortSize + "] but was "
            + minContributors);
      }
      // The sum must fit: n (c/gamma + 1) + 10 sqrt(n) sigma < 2^31 with sigma ~ z (c/gamma) / sqrt(m).
      double perStep = cohortSize + 10 * Math.sqrt((double) cohortSize / minContributors) * noiseMultiplier * 1.01;
      double gamma = clipNorm * perStep / 0x1p30;
      // The rounding bound adds up to about sqrt(d)/2 steps to the sensitivity; keep it under 1% of c/gamma.
      double sensitivitySteps = sensitivitySteps(clipNorm, gamma, dimension);
      double sigma = noiseMultiplier * sensitivitySteps / Math.sqrt(minContributors);
      return new DistributedDp(clipNorm, gamma, Math.max(0.5, sigma), cohortSize);
    }

    /** The L2 sensitivity of one client's encoded vector, in steps (Kairouz et al., conditional rounding). */
    public static double sensitivitySteps(double clipNorm, double gamma, int dimension) {
      double c = clipNorm / gamma;
      double squared = c * c + dimension / 4.0 + Math.sqrt(2 * Math.log(1 / BETA)) * (c + Math.sqrt(dimension) / 2);
      return Math.sqrt(squared);
    }

    /**
     * The noise multiplier of the Gaussian mechanism that the sum of {@code contributors} clients'
     * discrete Gaussians is at least as private as, in zero-concentrated DP (Kairouz et al.,
     * Theorem 1: epsilon^2 = Delta^2 / (n sigma^2) + tau d / 2 with
     * tau = 10 sum_{k=1}^{n-1} exp(-2 pi^2 sigma^2 k / (k + 1))).
     */
    public double effectiveNoiseMultiplier(int contributors, int dimension) {
      double delta = sensitivitySteps(clipNorm, gamma, dimension);
      double tau = 0;
      for (int k = 1; k < contributors; k++) {
        tau += 10 * Math.exp(-2 * Math.PI * Math.PI * noiseSteps * noiseSteps * k / (k + 1));
      }
      double inverseSquare = delta * delta / (contributors * noiseSteps * noiseSteps) + tau * dimension / 2;
      return 1 / Math.sqrt(inverseSquare);
    }

    @Override
    public int vectorLength(int dimension) {
      return dimension;
    }

    @Override
    public int[] encode(float[] update, long examples, RandomGenerator rng) {
      double norm = 0;
      for (float v : update) {
        norm += (double) v * v;
      }
      norm = Math.sqrt(norm);
      double scale = (norm > clipNorm ? clipNorm / norm : 1.0) / gamma;
      double bound = sensitivitySteps(clipNorm, gamma, update.length);
      int[] out = new int[update.length];
      for (int attempt = 0; ; attempt++) {
        double squared = 0;
        for (int i = 0; i < update.length; i++) {
          double y = update[i] * scale;
          double floor = Math.floor(y);
          long z = (long) floor + (rng.nextDouble() < y - floor ? 1 : 0);
          out[i] = (int) z;
          squared += (double) z * z;
        }
        if (Math.sqrt(squared) <= bound) {
          break;
        }
        if (attempt > 1000) {
          throw new IllegalStateException("randomised rounding exceeded its norm bound 1000 times in a row");
        }
      }
      new DiscreteGaussian(noiseSteps, rng).addTo(out);
      return out;
    }

    @Override
    public Decoded decode(int[] sum, int contributors) {
      float[] mean = new float[sum.length];
      for (int i = 0; i < sum.length; i++) {
        mean[i] = (float) (sum[i] * gamma / contributors);
      }
      return new Decoded(mean, contributors);
    }
  }
}
