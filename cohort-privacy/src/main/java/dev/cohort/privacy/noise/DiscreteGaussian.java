package dev.cohort.privacy.noise;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Samples the discrete Gaussian N<sub>Z</sub>(0, sigma<sup>2</sup>), the distribution on the
 * integers with P(x) proportional to exp(-x<sup>2</sup> / (2 sigma<sup>2</sup>)), by the rejection
 * sampler of Canonne, Kamath and Steinke ("The Discrete Gaussian for Differential Privacy", NeurIPS
 * 2020, Algorithm 3): a discrete Laplace proposal with scale {@code t = floor(sigma) + 1}, accepted
 * with probability {@code exp(-(|y| - sigma^2/t)^2 / (2 sigma^2))}. Sums of independent discrete
 * Gaussians are what distributed DP adds under secure aggregation (Kairouz, Liu and Steinke, ICML
 * 2021): integers survive the modular sum exactly, and an integer output leaks nothing through
 * floating-point rounding (the attack of Mironov, CCS 2012). The Bernoulli trials use
 * double-precision exponentials instead of the paper's exact rational arithmetic, which moves each
 * probability by at most a few units in the last place. Expected proposals per sample are below
 * 2.5 for sigma >= 1. Not thread-safe (the generator is not).
 */
public final class DiscreteGaussian {
  private final double sigma;
  private final long t;
  private final double sigmaSquared;
  private final double center;
  private final RandomGenerator rng;

  /**
   * @param sigma the scale parameter, in [0.5, 2^52]
   * @param rng the source of randomness: a secure generator ({@link AesCtrRandom} or {@link ChaCha20Random}) outside tests
   */
  public DiscreteGaussian(double sigma, RandomGenerator rng) {
    if (!(sigma >= 0.5 && sigma <= 0x1p52)) {
      throw new IllegalArgumentException("sigma must be in [0.5, 2^52] but was " + sigma);
    }
    this.sigma = sigma;
    this.rng = Objects.requireNonNull(rng, "rng");
    this.t = (long) Math.floor(sigma) + 1;
    this.sigmaSquared = sigma * sigma;
    this.center = sigmaSquared / t;
  }

  public double sigma() {
    return sigma;
  }

  /** One sample. */
  public long sample() {
    while (true) {
      long y = discreteLaplace();
      double d = Math.abs((double) y) - center;
      if (rng.nextDouble() < Math.exp(-d * d / (2 * sigmaSquared))) {
        return y;
      }
    }
  }

  /** Adds a sample to each element of {@code values} in place, modulo 2^32. */
  public void addTo(int[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] += (int) sample();
    }
  }

  /** The discrete Laplace with scale t: P(y) proportional to exp(-|y| / t). */
  private long discreteLaplace() {
    while (true) {
      long u = rng.nextLong(t);
      if (!(rng.nextDouble() < Math.exp(-(double) u / t))) {
        continue;
      }
      long v = geometric();
      long x = u + t * v;
      boolean negative = rng.nextBoolean();
      if (negative && x == 0) {
        continue;
      }
      return negative ? -x : x;
    }
  }

  /**
   * V with P(V = k) = (1 - e^-1) e^-k, by inversion of its distribution function (the paper's loop
   * of Bernoulli(e^-1) trials has the same law).
   */
  private long geometric() {
    double u = rng.nextDouble();
    return (long) Math.floor(Math.log1p(-u) / -1.0);
  }

  /**
   * The exact variance of N<sub>Z</sub>(0, sigma<sup>2</sup>) by summing its probability mass
   * (slightly below sigma<sup>2</sup> for small sigma), for tests and for reporting.
   */
  public static double variance(double sigma) {
    double norm = 1;
    double second = 0;
    int limit = (int) Math.ceil(40 * sigma) + 10;
    for (int x = 1; x <= limit; x++) {
      double p = Math.exp(-(double) x * x / (2 * sigma * sigma));
      norm += 2 * p;
      second += 2 * p * x * x;
    }
    return second / norm;
  }
}
