package dev.cohort.data.partition;

import java.util.random.RandomGenerator;

/**
 * Random draws the partitioners need, from a caller-supplied generator so that a seed fixes the
 * result: permutations, Gamma variates (Marsaglia and Tsang, "A simple method for generating
 * gamma variables", ACM TOMS 26(3), 2000) and symmetric Dirichlet proportions.
 */
final class Draws {
  private Draws() {}

  /** Shuffles {@code a} in place (Fisher-Yates). */
  static void shuffle(int[] a, RandomGenerator rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A uniformly random permutation of 0..n-1. */
  static int[] permutation(int n, RandomGenerator rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    shuffle(a, rng);
    return a;
  }

  /** A Gamma(shape, 1) variate; {@code shape > 0}. */
  static double gamma(RandomGenerator rng, double shape) {
    if (shape < 1) {
      return Math.exp(logGamma(rng, shape));
    }
    return marsagliaTsang(rng, shape);
  }

  /**
   * The natural log of a Gamma(shape, 1) variate. For shape below 1 this uses {@code G(a) =
   * G(a + 1) * U^(1/a)} in log space, so tiny shapes (where the variate itself underflows to 0)
   * still give usable values.
   */
  static double logGamma(RandomGenerator rng, double shape) {
    if (shape >= 1) {
      return Math.log(marsagliaTsang(rng, shape));
    }
    double u = 1.0 - rng.nextDouble(); // in (0, 1]
    return Math.log(marsagliaTsang(rng, shape + 1)) + Math.log(u) / shape;
  }

  /**
   * Proportions drawn from a symmetric Dirichlet(alpha, ..., alpha) over {@code n} parts: {@code
   * n} non-negative values that sum to 1.
   */
  static double[] dirichlet(RandomGenerator rng, double alpha, int n) {
    double[] logs = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      logs[i] = logGamma(rng, alpha);
      max = Math.max(max, logs[i]);
    }
    double sum = 0;
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = Math.exp(logs[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < n; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static double marsagliaTsang(RandomGenerator rng, double shape) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x;
      double v;
      do {
        x = rng.nextGaussian();
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = 1.0 - rng.nextDouble(); // in (0, 1]
      double x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
