package dev.cohort.privacy.accounting;

/**
 * Rényi differential privacy of one release of the Poisson-subsampled Gaussian mechanism: each
 * record is included independently with probability q, the clipped sum (L2 sensitivity 1) is
 * released with N(0, sigma^2) noise, and neighbouring datasets differ by adding or removing one
 * record.
 *
 * <p>From Mironov, Talwar and Zhang, "Rényi Differential Privacy of the Sampled Gaussian
 * Mechanism" (2019), Section 3: the RDP at order alpha is {@code log(A_alpha) / (alpha - 1)} with
 * {@code A_alpha = E_{z ~ N(0, sigma^2)} [((1 - q) + q exp((2z - 1) / (2 sigma^2)))^alpha]}. For
 * integer alpha, A_alpha is the finite binomial sum {@code sum_i C(alpha, i) (1-q)^(alpha-i) q^i
 * exp((i^2 - i) / (2 sigma^2))}; it is summed here as {@code A_alpha - 1}, whose terms are all
 * non-negative, so that small RDP values keep their relative precision. For fractional alpha, the
 * integral is split at {@code z0 = sigma^2 log(1/q - 1) + 1/2} into two convergent binomial series
 * (Section 3.3), each term carrying an erfc factor; both are summed with their signs in log space,
 * so the result is the exact A_alpha and not an upper bound of it. Each series stops once its
 * terms are decreasing and below exp(-40) of the total; one that has not by a million terms adds
 * the magnitude of its last term, which bounds the alternating remainder.
 *
 * <p>Edge cases are explicit: q = 0 or sigma = +infinity releases nothing (RDP 0); sigma = 0 with
 * q &gt; 0 is not private (RDP +infinity); q = 1 is the plain Gaussian mechanism, {@code alpha / (2
 * sigma^2)}; order +infinity gives +infinity whenever q &gt; 0 and sigma is finite.
 *
 * <p>Stateless and thread-safe.
 */
public final class SampledGaussianRdp {
  private static final int MAX_FRACTIONAL_TERMS = 1_000_000;
  /** Stop a fractional series once its terms fall below total * exp(-STOP_LOG_RATIO). */
  private static final double STOP_LOG_RATIO = 40.0;

  private SampledGaussianRdp() {}

  /**
   * The RDP at {@code order} of one release with noise multiplier {@code sigma} (noise standard
   * deviation over L2 sensitivity) and Poisson sampling rate {@code q}.
   *
   * @throws IllegalArgumentException if sigma is negative or NaN, q is outside [0, 1], or the order
   *     is not in (1, 1e6] or +infinity
   */
  public static double rdp(double sigma, double q, double order) {
    checkArguments(sigma, q);
    if (!(order > 1) || (order > RenyiOrders.MAX_FINITE_ORDER && order != Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "order must be in (1, " + RenyiOrders.MAX_FINITE_ORDER + "] or +infinity but was " + order);
    }
    if (q == 0 || sigma == Double.POSITIVE_INFINITY) {
      return 0.0;
    }
    if (sigma == 0 || order == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    if (q == 1) {
      return order / (2 * sigma * sigma);
    }
    double logA = order == Math.rint(order)
        ? logAInteger(q, sigma, (long) order)
        : logAFractional(q, sigma, order);
    // A_alpha >= 1 (Jensen); rounding in the fractional series can leave log A_alpha at -1e-16.
    return Math.max(0.0, logA) / (order - 1);
  }

  /** The RDP of one release at each of {@code orders}. */
  public static double[] rdp(double sigma, double q, RenyiOrders orders) {
    checkArguments(sigma, q);
    double[] out = new double[orders.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rdp(sigma, q, orders.get(i));
    }
    return out;
  }

  static void checkArguments(double sigma, double q) {
    if (!(sigma >= 0)) {
      throw new IllegalArgumentException("noiseMultiplier must be >= 0 but was " + sigma);
    }
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("samplingRate must be in [0, 1] but was " + q);
    }
  }

  /**
   * log(A_alpha) for integer alpha >= 2 and 0 < q < 1, as log1p(A_alpha - 1) with
   * {@code A_alpha - 1 = sum_{i >= 2} C(alpha, i) (1-q)^(alpha-i) q^i expm1((i^2 - i) / (2
   * sigma^2))}: the i = 0 and i = 1 terms of the binomial identity sum to the binomial mass, which
   * cancels the 1.
   */
  static double logAInteger(double q, double sigma, long alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoSigma2 = 2 * sigma * sigma;
    double logBinom = Math.log(alpha); // log C(alpha, 1)
    double logSum = Double.NEGATIVE_INFINITY;
    for (long i = 2; i <= alpha; i++) {
      logBinom += Math.log((double) (alpha - i + 1)) - Math.log((double) i);
      double exponent = (double) (i * i - i) / twoSigma2;
      double term = logBinom + i * logQ + (alpha - i) * log1mQ + LogSpace.logExpm1(exponent);
      logSum = LogSpace.add(logSum, term);
    }
    return LogSpace.log1pExp(logSum);
  }

  /**
   * log(A_alpha) for fractional alpha and 0 < q < 1, by the two series of Mironov, Talwar and
   * Zhang (2019), Section 3.3. Positive and negative terms accumulate separately in log space.
   */
  static double logAFractional(double q, double sigma, double alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoSigma2 = 2 * sigma * sigma;
    double sqrt2Sigma = Math.sqrt(2) * sigma;
    double z0 = sigma * sigma * (log1mQ - logQ) + 0.5;
    double logHalf = Math.log(0.5);

    double positive = Double.NEGATIVE_INFINITY;
    double negative = Double.NEGATIVE_INFINITY;
    double logAbsBinom = 0.0; // |C(alpha, 0)| = 1
    boolean binomPositive = true;
    double lastMagnitude = Double.POSITIVE_INFINITY;
    for (int i = 0; i < MAX_FRACTIONAL_TERMS; i++) {
      if (i > 0) {
        double factor = (alpha - i + 1) / i;
        logAbsBinom += Math.log(Math.abs(factor));
        if (factor < 0) {
          binomPositive = !binomPositive;
        }
      }
      double j = alpha - i;
      double s0 = logAbsBinom + i * logQ + j * log1mQ + (i * (double) i - i) / twoSigma2
          + logHalf + NormalTails.logErfc((i - z0) / sqrt2Sigma);
      double s1 = logAbsBinom + j * logQ + i * log1mQ + (j * j - j) / twoSigma2
          + logHalf + NormalTails.logErfc((z0 - j) / sqrt2Sigma);
      double magnitude = LogSpace.add(s0, s1);
      if (binomPositive) {
        positive = LogSpace.add(positive, magnitude);
      } else {
        negative = LogSpace.add(negative, magnitude);
      }
      boolean pastPeak = i > alpha + 1 && magnitude < lastMagnitude;
      if (pastPeak && magnitude < positive - STOP_LOG_RATIO) {
        return LogSpace.subtract(positive, negative);
      }
      lastMagnitude = magnitude;
    }
    // Not converged: the alternating remainder is bounded by the last term's magnitude.
    return LogSpace.subtract(LogSpace.add(positive, lastMagnitude), negative);
  }
}
