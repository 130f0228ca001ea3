package dev.cohort.privacy.accounting;

/**
 * A privacy loss distribution discretised on the grid {@code k * h}: {@code mass[j]} is the
 * probability (under the "upper" distribution P) of privacy loss {@code (offset + j) * h}, plus an
 * atom at +infinity. The hockey-stick divergence is {@code delta(eps) = infinityMass + sum_j
 * mass[j] (1 - exp(eps - loss_j))_+} (Sommer, Meiser and Mohammadi 2019; Koskela, Jälkö and Honkela
 * 2020), and composition is convolution, done by FFT.
 *
 * <p>A pessimistic distribution never under-states delta: its single-release form splits the
 * probability of each loss interval between the interval's two grid points so that both the P and
 * the Q probability are kept ("connect the dots", Doroshenko, Ghazi, Kamath, Kumar and Manurangsi
 * 2022), which interpolates delta linearly in exp(eps) and, delta being convex in exp(eps), bounds
 * it from above; mass truncated from the tails goes to +infinity. An optimistic distribution rounds
 * every loss down and never over-states delta, up to the truncated tail mass.
 */
final class LossPmf {
  /** Grids longer than this are refused: the discretisation is too fine for the event. */
  static final int MAX_LENGTH = 1 << 25;

  final double h;
  final long offset;
  final double[] mass;
  final double infinityMass;

  LossPmf(double h, long offset, double[] mass, double infinityMass) {
    this.h = h;
    this.offset = offset;
    this.mass = mass;
    this.infinityMass = Math.min(1.0, Math.max(0.0, infinityMass));
  }

  /** Loss 0 with probability 1: a release that reveals nothing. */
  static LossPmf identity(double h) {
    return new LossPmf(h, 0, new double[] {1.0}, 0.0);
  }

  /** One atom of probability {@code p} at {@code loss} (rounded to the grid) and the rest at +infinity. */
  static LossPmf atom(double h, double loss, double p, boolean pessimistic) {
    if (p == 0) {
      return new LossPmf(h, 0, new double[] {0.0}, 1.0);
    }
    long k = (long) (pessimistic ? Math.ceil(loss / h) : Math.floor(loss / h));
    return new LossPmf(h, k, new double[] {p}, 1.0 - p);
  }

  /**
   * One release of the Poisson-subsampled Gaussian with noise multiplier {@code sigma} (finite,
   * &gt; 0) and sampling rate {@code q} in (0, 1]. With {@code remove}, P is the mixture (1-q) N(0,
   * sigma^2) + q N(1, sigma^2) and Q is N(0, sigma^2) (the record removed); otherwise the roles
   * swap (the record added). The x-range covers all but {@code tail} of P's probability.
   */
  static LossPmf sampledGaussian(double sigma, double q, boolean remove, double h, double tail,
      boolean pessimistic) {
    double z = NormalTails.upperQuantile(tail / 2);
    double xlo = -sigma * z;
    double xhi = (remove ? 1 : 0) + sigma * z;
    double lossAtLo = loss(xlo, sigma, q, remove);
    double lossAtHi = loss(xhi, sigma, q, remove);
    double lmin = Math.min(lossAtLo, lossAtHi);
    double lmax = Math.max(lossAtLo, lossAtHi);
    long k0 = (long) Math.floor(lmin / h);
    long k1 = Math.max(k0 + 1, (long) Math.ceil(lmax / h));
    if (k1 - k0 + 1 > MAX_LENGTH) {
      throw new IllegalArgumentException("discretization " + h + " is too fine for noise multiplier "
          + sigma + " and sampling rate " + q + ": " + (k1 - k0 + 1) + " grid points");
    }
    int n = (int) (k1 - k0 + 1);
    double[] xb = new double[n];
    for (int j = 0; j < n; j++) {
      xb[j] = inverseLoss((k0 + j) * h, sigma, q, remove);
    }
    double[] mass = new double[n];
    double expm1h = Math.expm1(h);
    for (int j = 0; j + 1 < n; j++) {
      double lowerX = remove ? xb[j] : xb[j + 1];
      double upperX = remove ? xb[j + 1] : xb[j];
      double p = probability(lowerX, upperX, sigma, q, remove);
      if (p == 0) {
        continue;
      }
      if (!pessimistic) {
        mass[j] += p;
        continue;
      }
      double qProb = probability(lowerX, upperX, sigma, q, !remove);
      double uq = qProb == 0 ? 0.0 : Math.exp((k0 + j) * h + Math.log(qProb));
      double toUpper = Math.min(p, Math.max(0.0, (1 + expm1h) * (p - uq) / expm1h));
      mass[j] += p - toUpper;
      mass[j + 1] += toUpper;
    }
    double bottom = remove
        ? probability(Double.NEGATIVE_INFINITY, xb[0], sigma, q, true)
        : probability(xb[0], Double.POSITIVE_INFINITY, sigma, q, false);
    double top = remove
        ? probability(xb[n - 1], Double.POSITIVE_INFINITY, sigma, q, true)
        : probability(Double.NEGATIVE_INFINITY, xb[n - 1], sigma, q, false);
    double infinity = 0.0;
    if (pessimistic) {
      mass[0] += bottom;
      infinity = top;
    } else {
      mass[n - 1] += top;
    }
    return new LossPmf(h, k0, mass, infinity);
  }

  /** log(1 - q + q exp((2x - 1) / (2 sigma^2))), negated for the add direction. */
  static double loss(double x, double sigma, double q, boolean remove) {
    double t = (2 * x - 1) / (2 * sigma * sigma);
    double g;
    if (q == 1) {
      g = t;
    } else if (t > 30) {
      g = t + Math.log(q) + Math.log1p((1 - q) / q * Math.exp(-t));
    } else {
      g = Math.log1p(q * Math.expm1(t));
    }
    return remove ? g : -g;
  }

  /**
   * The x at which {@link #loss} equals {@code l}. Outside the loss's range the answer is
   * -infinity, which keeps {@code {loss <= l}} right: empty when removing, everything when adding.
   */
  static double inverseLoss(double l, double sigma, double q, boolean remove) {
    double g = remove ? l : -l;
    double t;
    if (q == 1) {
      t = g;
    } else if (g > 30) {
      t = g - Math.log(q) + Math.log1p(-(1 - q) * Math.exp(-g));
    } else {
      double ratio = Math.expm1(g) / q;
      if (!(ratio > -1)) {
        return Double.NEGATIVE_INFINITY;
      }
      t = Math.log1p(ratio);
    }
    return sigma * sigma * t + 0.5;
  }

  /** P(a &lt; x &lt;= b) under the mixture (mixture = true) or under N(0, sigma^2). */
  private static double probability(double a, double b, double sigma, double q, boolean mixture) {
    if (!mixture) {
      return NormalTails.interval(0.0, sigma, a, b);
    }
    double shifted = q * NormalTails.interval(1.0, sigma, a, b);
    return q == 1 ? shifted : (1 - q) * NormalTails.interval(0.0, sigma, a, b) + shifted;
  }

  /** This distribution composed with itself {@code times} times. */
  LossPmf selfCompose(long times, double tail, boolean pessimistic) {
    if (times == 1) {
      return this;
    }
    double inf = -Math.expm1(times * Math.log1p(-infinityMass));
    int n = mass.length;
    double top = (offset + n - 1) * h;
    double bottom = offset * h;
    double hi = times * top;
    double lo = times * bottom;
    double logTail = Math.log(tail);
    for (int e = -6; e <= 8; e++) {
      double t = Math.scalb(1.0, e);
      hi = Math.min(hi, (times * logMgf(t) - logTail) / t);
      lo = Math.max(lo, (times * logMgf(-t) - logTail) / -t);
    }
    long hiIdx = (long) Math.ceil(hi / h);
    long loIdx = (long) Math.floor(lo / h);
    long width = hiIdx - loIdx + 1;
    if (width > MAX_LENGTH) {
      throw new IllegalArgumentException("composition of " + times + " releases needs " + width
          + " grid points; use a coarser discretization than " + h);
    }
    int size = Math.max(2, Fft.size(width));
    double[] re = new double[size];
    double[] im = new double[size];
    for (int j = 0; j < n; j++) {
      re[j % size] += mass[j];
    }
    Fft.transform(re, im, false);
    Fft.power(re, im, times);
    Fft.transform(re, im, true);
    double[] out = new double[(int) width];
    long base = times * offset;
    for (int i = 0; i < out.length; i++) {
      long s = loIdx + i - base;
      out[i] = Math.max(0.0, re[(int) Math.floorMod(s, (long) size)]);
    }
    return new LossPmf(h, loIdx, out, pessimistic ? inf + 2 * tail : inf);
  }

  /** log sum_j mass[j] exp(t * loss_j), for the Chernoff bounds on the composed tails. */
  private double logMgf(double t) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < mass.length; j++) {
      if (mass[j] > 0) {
        max = Math.max(max, t * (offset + j) * h);
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    double sum = 0.0;
    for (int j = 0; j < mass.length; j++) {
      if (mass[j] > 0) {
        sum += mass[j] * Math.exp(t * (offset + j) * h - max);
      }
    }
    return max + Math.log(sum);
  }

  /** The composition of this distribution and {@code other} (same grid). */
  LossPmf convolve(LossPmf other, double tail, boolean pessimistic) {
    int n = mass.length + other.mass.length - 1;
    int size = Fft.size(n);
    double[] ar = new double[size];
    double[] ai = new double[size];
    double[] br = new double[size];
    double[] bi = new double[size];
    System.arraycopy(mass, 0, ar, 0, mass.length);
    System.arraycopy(other.mass, 0, br, 0, other.mass.length);
    Fft.transform(ar, ai, false);
    Fft.transform(br, bi, false);
    for (int i = 0; i < size; i++) {
      double r = ar[i] * br[i] - ai[i] * bi[i];
      ai[i] = ar[i] * bi[i] + ai[i] * br[i];
      ar[i] = r;
    }
    Fft.transform(ar, ai, true);
    double inf = 1 - (1 - infinityMass) * (1 - other.infinityMass);
    int first = 0;
    int last = n - 1;
    double dropped = 0.0;
    while (first < last && dropped + Math.max(0.0, ar[first]) <= tail) {
      dropped += Math.max(0.0, ar[first++]);
    }
    double droppedTop = 0.0;
    while (last > first && droppedTop + Math.max(0.0, ar[last]) <= tail) {
      droppedTop += Math.max(0.0, ar[last--]);
    }
    double[] out = new double[last - first + 1];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0.0, ar[first + i]);
    }
    if (pessimistic) {
      out[0] += dropped;
      inf += droppedTop;
    }
    return new LossPmf(h, offset + other.offset + first, out, inf);
  }

  /** The hockey-stick divergence at {@code epsilon}. */
  double delta(double epsilon) {
    double d = infinityMass;
    for (int j = mass.length - 1; j >= 0; j--) {
      double l = (offset + j) * h;
      if (l <= epsilon) {
        break;
      }
      d += -mass[j] * Math.expm1(epsilon - l);
    }
    return Math.min(1.0, d);
  }

  /** The smallest epsilon &gt;= 0 with {@code delta(epsilon) <= target}; +infinity if none. */
  double epsilon(double target) {
    if (infinityMass >= target) {
      return Double.POSITIVE_INFINITY;
    }
    double s1 = 0.0;
    double s2 = 0.0;
    for (int j = mass.length - 1; j >= 0; j--) {
      double l = (offset + j) * h;
      if (l <= 0) {
        break;
      }
      s1 += mass[j];
      s2 += mass[j] * Math.exp(-l);
      double lower = Math.max(0.0, l - h);
      double atLower = infinityMass + s1 - Math.exp(lower) * s2;
      if (atLower > target) {
        return Math.max(lower, Math.log((infinityMass + s1 - target) / s2));
      }
    }
    return 0.0;
  }
}
