package dev.cohort.observe;

import java.util.Arrays;

/**
 * Counts observations (such as round durations) in fixed cumulative buckets, with their sum and
 * count. The {@code +Inf} bucket is implicit. Thread-safe: each scrape sees a consistent
 * snapshot of a child's buckets, sum and count.
 */
public final class Histogram extends Metric<Histogram.Child> {
  private final double[] bounds;

  Histogram(String name, String help, double[] buckets, String[] labelNames) {
    super(name, help, checkLabels(name, labelNames));
    this.bounds = checkBuckets(name, buckets);
    createUnlabelledChild();
  }

  private static String[] checkLabels(String name, String[] labelNames) {
    for (String l : labelNames) {
      if ("le".equals(l)) {
        throw new IllegalArgumentException("histogram " + name + " must not have a label named le");
      }
    }
    return labelNames;
  }

  private static double[] checkBuckets(String name, double[] buckets) {
    if (buckets.length == 0) {
      throw new IllegalArgumentException("histogram " + name + " needs at least one bucket");
    }
    for (int i = 0; i < buckets.length; i++) {
      if (!Double.isFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
        throw new IllegalArgumentException("histogram " + name
            + " buckets must be finite and strictly increasing but were " + Arrays.toString(buckets));
      }
    }
    return buckets.clone();
  }

  /** The histogram for these label values, one per label name in order. */
  public Child labels(String... labelValues) {
    return child(labelValues);
  }

  /** Records one observation (not NaN); only for a histogram without labels. */
  public void observe(double value) {
    unlabelled().observe(value);
  }

  @Override
  Child newChild() {
    return new Child(this);
  }

  @Override
  String type() {
    return "histogram";
  }

  @Override
  void renderChild(Child child, String labels, StringBuilder out) {
    long[] counts;
    double sum;
    long count;
    synchronized (child) {
      counts = child.counts.clone();
      sum = child.sum;
      count = child.count;
    }
    String sep = labels.isEmpty() ? "" : labels + ",";
    long cumulative = 0;
    for (int i = 0; i <= bounds.length; i++) {
      cumulative += counts[i];
      String le = i < bounds.length ? formatValue(bounds[i]) : "+Inf";
      sample(out, name() + "_bucket", sep + "le=\"" + le + "\"", cumulative);
    }
    sample(out, name() + "_sum", labels, sum);
    sample(out, name() + "_count", labels, count);
  }

  /** The histogram of one combination of label values. Thread-safe. */
  public static final class Child {
    private final Histogram parent;
    private final long[] counts;
    private double sum;
    private long count;

    private Child(Histogram parent) {
      this.parent = parent;
      this.counts = new long[parent.bounds.length + 1];
    }

    /** Records one observation, which must not be NaN. */
    public void observe(double value) {
      if (Double.isNaN(value)) {
        throw new IllegalArgumentException("histogram " + parent.name() + " cannot observe NaN");
      }
      double[] bounds = parent.bounds;
      int i = 0;
      while (i < bounds.length && value > bounds[i]) {
        i++;
      }
      synchronized (this) {
        counts[i]++;
        sum += value;
        count++;
      }
    }
  }
}
