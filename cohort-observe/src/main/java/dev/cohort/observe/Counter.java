package dev.cohort.observe;

import java.util.concurrent.atomic.DoubleAdder;

/**
 * A value that only goes up (requests served, bytes received), reset only when the process
 * restarts. Thread-safe.
 */
public final class Counter extends Metric<Counter.Child> {
  Counter(String name, String help, String[] labelNames) {
    super(name, help, labelNames);
    createUnlabelledChild();
  }

  /** The counter for these label values, one per label name in order. */
  public Child labels(String... labelValues) {
    return child(labelValues);
  }

  /** Adds one; only for a counter without labels. */
  public void inc() {
    unlabelled().inc();
  }

  /** Adds {@code amount} (finite, >= 0); only for a counter without labels. */
  public void inc(double amount) {
    unlabelled().inc(amount);
  }

  @Override
  Child newChild() {
    return new Child();
  }

  @Override
  String type() {
    return "counter";
  }

  @Override
  void renderChild(Child child, String labels, StringBuilder out) {
    sample(out, name(), labels, child.value());
  }

  /** The counter of one combination of label values. Thread-safe. */
  public static final class Child {
    private final DoubleAdder value = new DoubleAdder();

    private Child() {}

    /** Adds one. */
    public void inc() {
      value.add(1);
    }

    /** Adds {@code amount}, which must be finite and >= 0. */
    public void inc(double amount) {
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        throw new IllegalArgumentException("a counter increment must be finite and >= 0 but was " + amount);
      }
      value.add(amount);
    }

    /** The current value. */
    public double value() {
      return value.sum();
    }
  }
}
