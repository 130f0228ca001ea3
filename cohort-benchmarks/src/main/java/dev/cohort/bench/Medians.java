package dev.cohort.bench;

import java.util.Arrays;

/** Order statistics of repeated timings. */
final class Medians {
  private Medians() {}

  /** The median of {@code values} (the mean of the middle two for even counts). */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
