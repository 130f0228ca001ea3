package dev.cohort.privacy.noise;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The snapping mechanism of Mironov (CCS 2012, "On significance of the least significant bits for
 * differential privacy"): Laplace noise of scale {@code lambda} made safe for floating point by
 * clamping the input to {@code [-bound, bound]}, adding {@code lambda * sign * ln(U)} with U
 * uniform over all doubles in (0, 1), rounding to the smallest power of two at least
 * {@code lambda}, and clamping again. With sensitivity 1 it is (1/lambda + 2^-49 * bound /
 * lambda)-differentially private (Mironov's Theorem 1, for bound < 2^46 * lambda). Not
 * thread-safe.
 */
public final class LaplaceNoise {
  private final double lambda;
  private final double bound;
  private final double snap;
  private final RandomGenerator rng;

  /**
   * @param lambda the Laplace scale (sensitivity / epsilon), > 0
   * @param bound the clamping bound of inputs and outputs, > 0 and < 2^46 * lambda
   * @param rng the source of randomness: a secure generator ({@link AesCtrRandom} or {@link ChaCha20Random}) outside tests
   */
  public LaplaceNoise(double lambda, double bound, RandomGenerator rng) {
    if (!(lambda > 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and > 0 but was " + lambda);
    }
    if (!(bound > 0) || !(bound < Math.scalb(lambda, 46))) {
      throw new IllegalArgumentException("bound must be in (0, 2^46 * lambda) but was " + bound);
    }
    this.lambda = lambda;
    this.bound = bound;
    this.rng = Objects.requireNonNull(rng, "rng");
    int e = Math.getExponent(lambda);
    this.snap = Math.scalb(1.0, lambda == Math.scalb(1.0, e) ? e : e + 1);
  }

  /** The power of two that outputs are rounded to. */
  public double snap() {
    return snap;
  }

  /** {@code value} plus snapped Laplace noise, clamped to the bound. */
  public double add(double value) {
    double x = clamp(value);
    double sign = (rng.nextLong() & 1) == 0 ? 1 : -1;
    double noisy = x + sign * lambda * Math.log(uniformOpenClosed());
    return clamp(snap * Math.rint(noisy / snap));
  }

  private double clamp(double v) {
    return Math.max(-bound, Math.min(bound, v));
  }

  /**
   * A double uniform in (0, 1) in which every representable value has the probability of the
   * interval it stands for: the exponent is geometric (one random bit per binade), the 52-bit
   * mantissa uniform, as the snapping proof requires.
   */
  double uniformOpenClosed() {
    int exponent = -1;
    while (true) {
      long bits = rng.nextLong();
      if (bits != 0) {
        exponent -= Long.numberOfLeadingZeros(bits);
        break;
      }
      exponent -= 64;
      if (exponent < -1074) {
        return Double.MIN_VALUE;
      }
    }
    long mantissa = rng.nextLong() >>> 12;
    double u = Math.scalb(1.0 + mantissa * 0x1.0p-52, exponent); // in [2^e, 2^(e+1)), e <= -1
    return u > 0 ? u : Double.MIN_VALUE;
  }
}
