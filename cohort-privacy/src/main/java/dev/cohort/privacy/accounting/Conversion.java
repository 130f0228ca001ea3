package dev.cohort.privacy.accounting;

import java.util.Locale;

/**
 * How an RDP guarantee (alpha, rho) becomes an (epsilon, delta) guarantee. An accountant applies
 * the conversion at every tracked order and keeps the best.
 */
public enum Conversion {
  /**
   * Mironov, "Rényi Differential Privacy" (CSF 2017), Proposition 3: {@code epsilon = rho +
   * log(1/delta) / (alpha - 1)}, equivalently {@code delta = exp((alpha - 1)(rho - epsilon))}. The
   * conversion used by papers before 2021 (Abadi et al. 2016's moments accountant, TensorFlow
   * Privacy before 2020).
   */
  CLASSIC("classic") {
    @Override
    double epsilon(double order, double rho, double logDelta) {
      if (order == Double.POSITIVE_INFINITY) {
        return rho;
      }
      return rho - logDelta / (order - 1);
    }

    @Override
    double logDelta(double order, double rho, double epsilon) {
      if (order == Double.POSITIVE_INFINITY) {
        return rho <= epsilon ? Double.NEGATIVE_INFINITY : 0.0;
      }
      return (order - 1) * (rho - epsilon);
    }
  },

  /**
   * Balle, Barthe, Gaboardi, Hsu and Sato, "Hypothesis Testing Interpretations and Rényi
   * Differential Privacy" (AISTATS 2020), Theorem 21: {@code epsilon = rho + log((alpha - 1) /
   * alpha) - (log(delta) + log(alpha)) / (alpha - 1)}. Also, since any order's RDP bounds the KL
   * divergence, the Bretagnolle–Huber inequality gives {@code delta = sqrt(1 - exp(-rho))} at
   * epsilon 0, as in dp_accounting. The conversion used by current Opacus, TensorFlow Privacy and
   * dp_accounting; never worse than {@link #CLASSIC}.
   */
  IMPROVED("improved") {
    @Override
    double epsilon(double order, double rho, double logDelta) {
      if (rho < Double.POSITIVE_INFINITY && 2 * logDelta >= Math.log(-Math.expm1(-rho))) {
        return 0.0;
      }
      if (order == Double.POSITIVE_INFINITY) {
        return rho;
      }
      return rho + Math.log1p(-1 / order) - (logDelta + Math.log(order)) / (order - 1);
    }

    @Override
    double logDelta(double order, double rho, double epsilon) {
      double huber = rho == Double.POSITIVE_INFINITY ? 0.0 : 0.5 * Math.log(-Math.expm1(-rho));
      double renyi;
      if (order == Double.POSITIVE_INFINITY) {
        renyi = rho <= epsilon ? Double.NEGATIVE_INFINITY : 0.0;
      } else {
        renyi = (order - 1) * (rho - epsilon + Math.log1p(-1 / order)) - Math.log(order);
      }
      return Math.min(huber, renyi);
    }
  };

  private final String label;

  Conversion(String label) {
    this.label = label;
  }

  /** "classic" or "improved", as on the command line and in JSON. */
  public String label() {
    return label;
  }

  /**
   * The conversion named {@code label} ("classic" or "improved", any case).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Conversion parse(String label) {
    for (Conversion c : values()) {
      if (c.label.equals(label.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("conversion must be improved or classic but was " + label);
  }

  /** Epsilon at one order with RDP {@code rho} (&gt;= 0, possibly +infinity) and log(delta). */
  abstract double epsilon(double order, double rho, double logDelta);

  /** log(delta) at one order with RDP {@code rho} (&gt;= 0, possibly +infinity) and epsilon &gt;= 0. */
  abstract double logDelta(double order, double rho, double epsilon);
}
