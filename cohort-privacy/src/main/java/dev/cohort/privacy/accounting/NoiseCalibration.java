package dev.cohort.privacy.accounting;

import java.util.Objects;

/**
 * The smallest noise multiplier that keeps the Poisson-subsampled Gaussian mechanism within a
 * target (epsilon, delta), by the RDP accountant. Epsilon falls monotonically as the noise
 * multiplier grows (each order's RDP does), so an exponential search brackets the answer and a
 * bisection narrows it to a relative width of 1e-12, as Opacus's {@code get_noise_multiplier} and
 * TensorFlow Privacy's {@code compute_noise} do with coarser tolerances. The returned multiplier is
 * the upper end of the final bracket, so its epsilon never exceeds the target. Stateless and
 * thread-safe.
 */
public final class NoiseCalibration {
  /** The largest noise multiplier searched; a target that needs more is reported unreachable. */
  public static final double MAX_NOISE_MULTIPLIER = 1e6;

  private static final double RELATIVE_TOLERANCE = 1e-12;

  private NoiseCalibration() {}

  /** {@link #noiseMultiplier(double, double, double, long, Conversion, RenyiOrders)} with the improved conversion and default orders. */
  public static double noiseMultiplier(double targetEpsilon, double delta, double samplingRate, long steps) {
    return noiseMultiplier(targetEpsilon, delta, samplingRate, steps, Conversion.IMPROVED,
        RenyiOrders.DEFAULT);
  }

  /**
   * The smallest noise multiplier (to a relative 1e-12) at which {@code steps} releases with
   * sampling rate {@code samplingRate} stay within ({@code targetEpsilon}, {@code delta}). Returns
   * 0 when the sampling rate is 0 (nothing is released).
   *
   * @throws IllegalArgumentException if an argument is out of range, or if the target cannot be
   *     reached with any noise multiplier up to {@link #MAX_NOISE_MULTIPLIER}: the conversion
   *     itself puts a floor under epsilon that depends on delta and on the largest order
   */
  public static double noiseMultiplier(double targetEpsilon, double delta, double samplingRate,
      long steps, Conversion conversion, RenyiOrders orders) {
    if (!(targetEpsilon > 0 && targetEpsilon < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("targetEpsilon must be finite and > 0 but was " + targetEpsilon);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1) but was " + delta);
    }
    if (!(samplingRate >= 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("samplingRate must be in [0, 1] but was " + samplingRate);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1 but was " + steps);
    }
    Objects.requireNonNull(conversion, "conversion");
    Objects.requireNonNull(orders, "orders");
    if (samplingRate == 0) {
      return 0.0;
    }
    double hi = 1.0;
    double epsHi = epsilon(hi, samplingRate, steps, delta, conversion, orders);
    double lo = 0.0;
    while (epsHi > targetEpsilon) {
      if (hi >= MAX_NOISE_MULTIPLIER) {
        throw new IllegalArgumentException("target epsilon " + targetEpsilon + " is unreachable at delta "
            + delta + " with sampling rate " + samplingRate + " over " + steps + " steps: even noise "
            + "multiplier " + hi + " gives epsilon " + epsHi + " by the " + conversion.label()
            + " conversion (its floor is set by delta and the largest order, "
            + orders.get(orders.size() - 1) + ")");
      }
      lo = hi;
      hi = Math.min(2 * hi, MAX_NOISE_MULTIPLIER);
      epsHi = epsilon(hi, samplingRate, steps, delta, conversion, orders);
    }
    while (hi - lo > RELATIVE_TOLERANCE * hi) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (epsilon(mid, samplingRate, steps, delta, conversion, orders) > targetEpsilon) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  private static double epsilon(double sigma, double q, long steps, double delta,
      Conversion conversion, RenyiOrders orders) {
    return new PoissonSampledGaussian(sigma, q, steps).rdp(orders).epsilon(delta, conversion).epsilon();
  }
}
