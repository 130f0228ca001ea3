package dev.cohort.privacy.accounting;

import java.util.Arrays;
import java.util.Objects;

/**
 * An RDP guarantee: the Rényi divergence bound rho(alpha) at each tracked order. Curves over the
 * same orders compose by addition (Mironov 2017, Proposition 1), and convert to (epsilon, delta)
 * by minimising a {@link Conversion} over the orders; a curve that is 0 everywhere (nothing
 * released) converts to (0, 0). Immutable and thread-safe.
 */
public final class RdpCurve {
  private final RenyiOrders orders;
  private final double[] values;

  private RdpCurve(RenyiOrders orders, double[] values) {
    this.orders = orders;
    this.values = values;
  }

  /**
   * The curve with {@code values[i]} at order {@code orders.get(i)}.
   *
   * @throws IllegalArgumentException if the lengths differ or a value is negative or NaN
   */
  public static RdpCurve of(RenyiOrders orders, double... values) {
    Objects.requireNonNull(orders, "orders");
    if (values.length != orders.size()) {
      throw new IllegalArgumentException("values must have one entry per order (" + orders.size()
          + ") but had " + values.length);
    }
    double[] copy = values.clone();
    for (int i = 0; i < copy.length; i++) {
      if (!(copy[i] >= 0)) {
        throw new IllegalArgumentException("values[" + i + "] must be >= 0 but was " + copy[i]);
      }
    }
    return new RdpCurve(orders, copy);
  }

  /** No privacy loss at any order. */
  public static RdpCurve zero(RenyiOrders orders) {
    return new RdpCurve(Objects.requireNonNull(orders, "orders"), new double[orders.size()]);
  }

  /** The orders this curve is tracked at. */
  public RenyiOrders orders() {
    return orders;
  }

  /** The RDP at the i-th order. */
  public double value(int i) {
    return values[i];
  }

  /** A copy of the RDP values, one per order. */
  public double[] values() {
    return values.clone();
  }

  /**
   * The composition of this guarantee and {@code other}.
   *
   * @throws IllegalArgumentException if the curves track different orders
   */
  public RdpCurve plus(RdpCurve other) {
    if (!orders.equals(other.orders)) {
      throw new IllegalArgumentException(
          "curves must track the same orders but had " + orders + " and " + other.orders);
    }
    double[] sum = new double[values.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = values[i] + other.values[i];
    }
    return new RdpCurve(orders, sum);
  }

  /** This guarantee composed with itself {@code count} times (count &gt;= 0). */
  public RdpCurve times(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0 but was " + count);
    }
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = count == 0 || values[i] == 0 ? 0.0 : count * values[i];
    }
    return new RdpCurve(orders, out);
  }

  /**
   * The smallest epsilon over the orders such that (epsilon, delta)-DP holds.
   *
   * @throws IllegalArgumentException unless 0 &lt; delta &lt; 1
   */
  public EpsilonBound epsilon(double delta, Conversion conversion) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1) but was " + delta);
    }
    Objects.requireNonNull(conversion, "conversion");
    if (isZero()) {
      return new EpsilonBound(0.0, orders.get(0), conversion);
    }
    double logDelta = Math.log(delta);
    double best = Double.POSITIVE_INFINITY;
    double bestOrder = orders.get(0);
    for (int i = 0; i < values.length; i++) {
      double eps = conversion.epsilon(orders.get(i), values[i], logDelta);
      if (eps < best) {
        best = eps;
        bestOrder = orders.get(i);
      }
    }
    return new EpsilonBound(Math.max(0.0, best), bestOrder, conversion);
  }

  /**
   * The smallest delta over the orders such that (epsilon, delta)-DP holds.
   *
   * @throws IllegalArgumentException unless epsilon is finite and &gt;= 0
   */
  public DeltaBound delta(double epsilon, Conversion conversion) {
    if (!(epsilon >= 0 && epsilon < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0 but was " + epsilon);
    }
    Objects.requireNonNull(conversion, "conversion");
    if (isZero()) {
      return new DeltaBound(0.0, orders.get(0), conversion);
    }
    double best = 0.0;
    double bestOrder = orders.get(0);
    for (int i = 0; i < values.length; i++) {
      double logDelta = conversion.logDelta(orders.get(i), values[i], epsilon);
      if (logDelta < best) {
        best = logDelta;
        bestOrder = orders.get(i);
      }
    }
    return new DeltaBound(Math.min(1.0, Math.exp(best)), bestOrder, conversion);
  }

  /** Whether the curve is 0 at every order: nothing was released, (0, 0)-DP. */
  public boolean isZero() {
    for (double v : values) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RdpCurve other && orders.equals(other.orders)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * orders.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "RdpCurve[" + orders + ", " + Arrays.toString(values) + "]";
  }
}
