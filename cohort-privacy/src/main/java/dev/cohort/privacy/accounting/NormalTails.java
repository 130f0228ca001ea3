package dev.cohort.privacy.accounting;

/**
 * The complementary error function and the standard normal distribution, accurate in relative
 * terms far into the tails (the accountants need {@code log erfc(x)} for x in the hundreds).
 *
 * <p>For {@code 0 <= x < 1}, erf comes from the everywhere-positive series {@code erf(x) = 2x/sqrt(pi)
 * exp(-x^2) sum_n (2x^2)^n / (1*3*...*(2n+1))} (Abramowitz and Stegun 7.1.6), which has no
 * cancellation. For {@code x >= 1}, erfc comes from its Laplace continued fraction (A&amp;S 7.1.14),
 * evaluated with the modified Lentz method, and its logarithm is formed without ever computing
 * {@code exp(-x^2)}, so it never underflows.
 */
final class NormalTails {
  private static final double SQRT_PI = Math.sqrt(Math.PI);
  private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
  private static final double SQRT2 = Math.sqrt(2.0);
  private static final double SERIES_LIMIT = 1.0;

  private NormalTails() {}

  /** erfc(x) for every real x (NaN gives NaN). */
  static double erfc(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x < 0) {
      return 2.0 - erfc(-x);
    }
    if (x < SERIES_LIMIT) {
      return 1.0 - erfSeries(x);
    }
    if (x > 27.3) {
      return 0.0;
    }
    return Math.exp(-x * x) * continuedFraction(x) / SQRT_PI;
  }

  /** log(erfc(x)), finite for every finite x. */
  static double logErfc(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    if (x < SERIES_LIMIT) {
      return Math.log(erfc(x));
    }
    return -x * x - LOG_SQRT_PI + Math.log(continuedFraction(x));
  }

  /** The standard normal CDF, Phi(x). */
  static double cdf(double x) {
    return 0.5 * erfc(-x / SQRT2);
  }

  /** log Phi(x), accurate for very negative x. */
  static double logCdf(double x) {
    return Math.log(0.5) + logErfc(-x / SQRT2);
  }

  /**
   * P(a < X <= b) for X ~ N(mean, sd^2), computed from whichever tail keeps relative accuracy.
   * Infinite bounds are allowed.
   */
  static double interval(double mean, double sd, double a, double b) {
    if (!(b > a)) {
      return 0.0;
    }
    double za = (a - mean) / sd;
    double zb = (b - mean) / sd;
    if (zb <= 0) {
      return Math.max(0.0, cdf(zb) - cdf(za));
    }
    if (za >= 0) {
      return Math.max(0.0, cdf(-za) - cdf(-zb));
    }
    return Math.max(0.0, 1.0 - cdf(za) - cdf(-zb));
  }

  /** The z with Phi(-z) = tail, for 0 < tail < 0.5, by bisection on the accurate tail. */
  static double upperQuantile(double tail) {
    double lo = 0.0;
    double hi = 40.0;
    for (int i = 0; i < 200 && hi - lo > 1e-13; i++) {
      double mid = 0.5 * (lo + hi);
      if (cdf(-mid) > tail) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  private static double erfSeries(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 500; n++) {
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return 2.0 / SQRT_PI * Math.exp(-x2) * sum;
  }

  /**
   * sqrt(pi) exp(x^2) erfc(x) = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x > 0, by the
   * modified Lentz method.
   */
  private static double continuedFraction(double x) {
    final double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0.0;
    for (int n = 1; n < 5000; n++) {
      double an = 0.5 * n;
      d = x + an * d;
      d = d == 0 ? tiny : d;
      c = x + an / c;
      c = c == 0 ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return 1.0 / f;
  }
}
