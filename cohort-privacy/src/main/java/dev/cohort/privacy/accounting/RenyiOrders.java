package dev.cohort.privacy.accounting;

import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * The Rényi orders (alpha) at which an RDP accountant tracks privacy loss. Converting RDP to
 * (epsilon, delta) minimises over these orders, so a denser set gives a tighter epsilon at a small
 * cost in time. Immutable and thread-safe.
 *
 * <p>Every order must be finite and in (1, 1e6], or +infinity. Orders at most 1e6 because the
 * exact series for integer orders has alpha + 1 terms; larger orders never give a better epsilon
 * in practice.
 */
public final class RenyiOrders {
  /** The largest finite order accepted. */
  public static final double MAX_FINITE_ORDER = 1e6;

  /**
   * The default: 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, 5, 6, ..., 63, 128, 256, 512 (72
   * orders), the set TensorFlow Privacy's {@code compute_dp_sgd_privacy} and {@code
   * compute_noise_from_budget} use.
   */
  public static final RenyiOrders DEFAULT =
      of(DoubleStream.concat(
              DoubleStream.of(1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5),
              DoubleStream.concat(
                  DoubleStream.iterate(5, a -> a <= 63, a -> a + 1), DoubleStream.of(128, 256, 512)))
          .toArray());

  /**
   * 1.1, 1.2, ..., 10.9, 12, 13, ..., 63 (150 orders): Opacus's {@code RDPAccountant.DEFAULT_ALPHAS},
   * also used by TensorFlow Privacy's MNIST tutorial.
   */
  public static final RenyiOrders OPACUS =
      of(DoubleStream.concat(
              DoubleStream.iterate(1, x -> x <= 99, x -> x + 1).map(x -> 1 + x / 10.0),
              DoubleStream.iterate(12, a -> a <= 63, a -> a + 1))
          .toArray());

  /**
   * 1.1, 1.2, ..., 10.9, 11, 12, ..., 63, 128, 256, 512, 1024 (156 orders): dp_accounting's
   * {@code DEFAULT_RDP_ORDERS}.
   */
  public static final RenyiOrders DP_ACCOUNTING =
      of(DoubleStream.concat(
              DoubleStream.iterate(1, x -> x <= 99, x -> x + 1).map(x -> 1 + x / 10.0),
              DoubleStream.concat(
                  DoubleStream.iterate(11, a -> a <= 63, a -> a + 1),
                  DoubleStream.of(128, 256, 512, 1024)))
          .toArray());

  private final double[] orders;

  private RenyiOrders(double[] orders) {
    this.orders = orders;
  }

  /** These orders, in the order given; duplicates are kept. */
  public static RenyiOrders of(double... orders) {
    if (orders.length == 0) {
      throw new IllegalArgumentException("orders must not be empty");
    }
    double[] copy = orders.clone();
    for (int i = 0; i < copy.length; i++) {
      double a = copy[i];
      if (!(a > 1) || (a > MAX_FINITE_ORDER && a != Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "orders[" + i + "] must be in (1, " + MAX_FINITE_ORDER + "] or +infinity but was " + a);
      }
    }
    return new RenyiOrders(copy);
  }

  /** These orders, in list order. */
  public static RenyiOrders of(List<Double> orders) {
    return of(orders.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** How many orders there are. */
  public int size() {
    return orders.length;
  }

  /** The i-th order. */
  public double get(int i) {
    return orders[i];
  }

  /** A copy of the orders. */
  public double[] toArray() {
    return orders.clone();
  }

  /** The orders as an immutable list, for serialisation. */
  public List<Double> asList() {
    return Arrays.stream(orders).boxed().toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RenyiOrders other && Arrays.equals(orders, other.orders);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(orders);
  }

  @Override
  public String toString() {
    if (orders.length <= 6) {
      return "RenyiOrders" + Arrays.toString(orders);
    }
    return "RenyiOrders[" + orders.length + " orders, " + orders[0] + " .. "
        + orders[orders.length - 1] + "]";
  }
}
