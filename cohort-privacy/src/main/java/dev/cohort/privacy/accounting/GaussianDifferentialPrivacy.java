package dev.cohort.privacy.accounting;

import java.util.List;
import java.util.Objects;

/**
 * Gaussian differential privacy (Dong, Roth and Su, "Gaussian Differential Privacy", JRSS-B 2022,
 * arXiv 1905.02383): a mechanism is mu-GDP when telling neighbours apart is no easier than telling
 * N(0, 1) from N(mu, 1).
 *
 * <p>The plain Gaussian mechanism (sampling rate 1) with noise multiplier sigma is exactly
 * (1/sigma)-GDP, and mu-GDP guarantees compose as {@code sqrt(sum mu_i^2)} (their Corollary 2), so
 * for sampling rate 1 this class is exact. For sampling rate q &lt; 1, {@link #mu} uses their
 * central limit theorem for Poisson subsampling (Bu, Dong, Long and Su, "Deep Learning with
 * Gaussian Differential Privacy", 2020): {@code mu = q sqrt(T (exp(1/sigma^2) - 1))}, an asymptotic
 * approximation that can understate the true privacy loss for few steps; use it as a cross-check,
 * never to enforce a budget. Stateless and thread-safe.
 */
public final class GaussianDifferentialPrivacy {
  private GaussianDifferentialPrivacy() {}

  /**
   * The delta at which mu-GDP implies (epsilon, delta)-DP (Dong, Roth and Su, Corollary 1):
   * {@code Phi(-epsilon/mu + mu/2) - exp(epsilon) Phi(-epsilon/mu - mu/2)}.
   */
  public static double delta(double mu, double epsilon) {
    if (!(mu >= 0)) {
      throw new IllegalArgumentException("mu must be >= 0 but was " + mu);
    }
    if (!(epsilon >= 0 && epsilon < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0 but was " + epsilon);
    }
    if (mu == 0) {
      return 0.0;
    }
    if (mu == Double.POSITIVE_INFINITY) {
      return 1.0;
    }
    double first = NormalTails.cdf(-epsilon / mu + mu / 2);
    double second = Math.exp(epsilon + NormalTails.logCdf(-epsilon / mu - mu / 2));
    return Math.min(1.0, Math.max(0.0, first - second));
  }

  /** The smallest epsilon &gt;= 0 at which mu-GDP implies (epsilon, delta)-DP, by bisection. */
  public static double epsilon(double mu, double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1) but was " + delta);
    }
    if (!(mu >= 0)) {
      throw new IllegalArgumentException("mu must be >= 0 but was " + mu);
    }
    if (mu == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    if (delta(mu, 0.0) <= delta) {
      return 0.0;
    }
    double lo = 0.0;
    double hi = 1.0;
    while (delta(mu, hi) > delta) {
      lo = hi;
      hi *= 2;
      if (hi > 1e9) {
        return Double.POSITIVE_INFINITY;
      }
    }
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
      double mid = 0.5 * (lo + hi);
      if (delta(mu, mid) > delta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /**
   * The GDP parameter of {@code event}: exact, {@code sqrt(T) / sigma}, at sampling rate 1; the
   * central limit approximation {@code q sqrt(T (exp(1/sigma^2) - 1))} below it.
   */
  public static double mu(PrivacyEvent event) {
    switch (Objects.requireNonNull(event, "event")) {
      case PoissonSampledGaussian g -> {
        double sigma = g.noiseMultiplier();
        double q = g.samplingRate();
        if (q == 0 || sigma == Double.POSITIVE_INFINITY) {
          return 0.0;
        }
        if (sigma == 0) {
          return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
          return Math.sqrt((double) g.steps()) / sigma;
        }
        return q * Math.sqrt(g.steps() * Math.expm1(1 / (sigma * sigma)));
      }
    }
  }

  /** The GDP parameter of all of {@code events} composed: {@code sqrt(sum mu_i^2)}. */
  public static double mu(List<? extends PrivacyEvent> events) {
    double sumSquares = 0.0;
    for (PrivacyEvent e : Objects.requireNonNull(events, "events")) {
      double m = mu(e);
      sumSquares += m * m;
    }
    return Math.sqrt(sumSquares);
  }
}
