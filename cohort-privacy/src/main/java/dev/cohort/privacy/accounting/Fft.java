package dev.cohort.privacy.accounting;

/**
 * In-place iterative radix-2 complex FFT (Cooley–Tukey) on split real and imaginary arrays, with
 * twiddle factors computed directly from cos and sin for accuracy. Used to compose privacy loss
 * distributions by convolution.
 */
final class Fft {
  private Fft() {}

  /** The smallest power of two &gt;= n (n &gt;= 1). */
  static int size(long n) {
    if (n > (1 << 30)) {
      throw new IllegalArgumentException("transform size must be <= 2^30 but " + n + " was needed");
    }
    int s = 1;
    while (s < n) {
      s <<= 1;
    }
    return s;
  }

  /** Transforms (re, im) in place; {@code inverse} also divides by the length. */
  static void transform(double[] re, double[] im, boolean inverse) {
    int n = re.length;
    if (Integer.bitCount(n) != 1 || im.length != n) {
      throw new IllegalArgumentException("length must be a power of two and match but was " + n
          + " and " + im.length);
    }
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double sign = inverse ? 1.0 : -1.0;
    double[] cos = new double[Math.max(1, n / 2)];
    double[] sin = new double[Math.max(1, n / 2)];
    for (int k = 0; k < n / 2; k++) {
      double angle = 2 * Math.PI * k / n;
      cos[k] = Math.cos(angle);
      sin[k] = sign * Math.sin(angle);
    }
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int stride = n / len;
      for (int start = 0; start < n; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * stride];
          double wi = sin[k * stride];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
    if (inverse) {
      double scale = 1.0 / n;
      for (int i = 0; i < n; i++) {
        re[i] *= scale;
        im[i] *= scale;
      }
    }
  }

  /** Raises each complex entry to the power {@code exponent} (&gt;= 1), by repeated squaring. */
  static void power(double[] re, double[] im, long exponent) {
    for (int i = 0; i < re.length; i++) {
      double br = re[i];
      double bi = im[i];
      double rr = 1.0;
      double ri = 0.0;
      long e = exponent;
      while (e > 0) {
        if ((e & 1) == 1) {
          double t = rr * br - ri * bi;
          ri = rr * bi + ri * br;
          rr = t;
        }
        e >>= 1;
        if (e > 0) {
          double t = br * br - bi * bi;
          bi = 2 * br * bi;
          br = t;
        }
      }
      re[i] = rr;
      im[i] = ri;
    }
  }
}
