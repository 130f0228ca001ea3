package dev.cohort.observe;

import java.util.concurrent.atomic.AtomicLong;

/** A value that goes up and down (the current round, connected clients, accuracy). Thread-safe. */
public final class Gauge extends Metric<Gauge.Child> {
  Gauge(String name, String help, String[] labelNames) {
    super(name, help, labelNames);
    createUnlabelledChild();
  }

  /** The gauge for these label values, one per label name in order. */
  public Child labels(String... labelValues) {
    return child(labelValues);
  }

  /** Sets the value (NaN and infinities are allowed); only for a gauge without labels. */
  public void set(double value) {
    unlabelled().set(value);
  }

  /** Adds {@code delta} (may be negative); only for a gauge without labels. */
  public void inc(double delta) {
    unlabelled().inc(delta);
  }

  @Override
  Child newChild() {
    return new Child();
  }

  @Override
  String type() {
    return "gauge";
  }

  @Override
  void renderChild(Child child, String labels, StringBuilder out) {
    sample(out, name(), labels, child.value());
  }

  /** The gauge of one combination of label values. Thread-safe. */
  public static final class Child {
    private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));

    private Child() {}

    /** Sets the value (NaN and infinities are allowed). */
    public void set(double value) {
      bits.set(Double.doubleToLongBits(value));
    }

    /** Adds {@code delta} (may be negative). */
    public void inc(double delta) {
      bits.updateAndGet(b -> Double.doubleToLongBits(Double.longBitsToDouble(b) + delta));
    }

    /** The current value. */
    public double value() {
      return Double.longBitsToDouble(bits.get());
    }
  }
}
