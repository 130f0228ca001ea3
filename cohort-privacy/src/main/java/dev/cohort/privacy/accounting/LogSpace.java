package dev.cohort.privacy.accounting;

/** Arithmetic on numbers held as their natural logarithms; -infinity stands for zero. */
final class LogSpace {
  private LogSpace() {}

  /** log(exp(a) + exp(b)). */
  static double add(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double hi = Math.max(a, b);
    double lo = Math.min(a, b);
    return hi + Math.log1p(Math.exp(lo - hi));
  }

  /** log(exp(a) - exp(b)) for a >= b; -infinity when they are equal. */
  static double subtract(double a, double b) {
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    if (b > a) {
      throw new ArithmeticException("log-space subtraction would be negative: a=" + a + ", b=" + b);
    }
    if (a == b) {
      return Double.NEGATIVE_INFINITY;
    }
    return a + Math.log1p(-Math.exp(b - a));
  }

  /** log(exp(x) - 1) for x > 0, stable for small and large x. */
  static double logExpm1(double x) {
    return x > 30 ? x + Math.log1p(-Math.exp(-x)) : Math.log(Math.expm1(x));
  }

  /** log(1 + exp(x)). */
  static double log1pExp(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }
}
