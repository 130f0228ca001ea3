package dev.cohort.train;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.Shape;
import java.util.Objects;

/**
 * A reusable minibatch buffer: features of up to {@link #capacity()} examples, row after row, and
 * their labels (classification) or float targets (regression). {@link #fill} overwrites it from a
 * dataset without allocating, so one batch serves a whole training run.
 *
 * <p>Not thread-safe. The arrays are exposed without copying; only the first {@link #size()}
 * examples are meaningful.
 */
public final class Batch {
  private final Shape exampleShape;
  private final float[] features;
  private final int[] labels;
  private final float[] targets;
  private final int targetSize;
  private final int capacity;
  private int size;

  private Batch(Shape exampleShape, float[] features, int[] labels, float[] targets,
      int targetSize, int capacity, int size) {
    this.exampleShape = Objects.requireNonNull(exampleShape, "exampleShape");
    this.features = features;
    this.labels = labels;
    this.targets = targets;
    this.targetSize = targetSize;
    this.capacity = capacity;
    this.size = size;
  }

  /**
   * An empty batch for up to {@code capacity} examples of {@code data}'s kind and shape.
   *
   * @throws IllegalArgumentException if {@code capacity < 1}
   */
  public static Batch forDataset(Dataset data, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1 but was " + capacity);
    }
    Shape shape = data.exampleShape();
    float[] x = new float[capacity * shape.size()];
    if (data.isClassification()) {
      return new Batch(shape, x, new int[capacity], null, 0, capacity, 0);
    }
    return new Batch(shape, x, null, new float[capacity * data.targetSize()], data.targetSize(),
        capacity, 0);
  }

  /** A full batch over {@code features} and {@code labels} (not copied): one example per label. */
  public static Batch ofLabels(Shape exampleShape, float[] features, int[] labels) {
    checkFeatures(exampleShape, features, labels.length);
    return new Batch(exampleShape, features, labels, null, 0, labels.length, labels.length);
  }

  /** A full batch over {@code features} and {@code targets} (not copied), {@code targetSize} each. */
  public static Batch ofTargets(Shape exampleShape, float[] features, float[] targets,
      int targetSize) {
    if (targetSize < 1 || targets.length % targetSize != 0) {
      throw new IllegalArgumentException("targetSize must be >= 1 and divide targets.length "
          + targets.length + " but was " + targetSize);
    }
    int n = targets.length / targetSize;
    checkFeatures(exampleShape, features, n);
    return new Batch(exampleShape, features, null, targets, targetSize, n, n);
  }

  private static void checkFeatures(Shape shape, float[] features, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a batch needs at least 1 example but has " + n);
    }
    if (features.length != n * shape.size()) {
      throw new IllegalArgumentException(n + " examples of shape " + shape + " need "
          + n * shape.size() + " features but " + features.length + " were given");
    }
  }

  /**
   * Loads examples {@code order[from .. from + count)} of {@code data}.
   *
   * @throws IllegalArgumentException if {@code count} is not in {@code [1, capacity()]} or the
   *     dataset's kind or shape differs from this batch's
   */
  public void fill(Dataset data, int[] order, int from, int count) {
    if (count < 1 || count > capacity) {
      throw new IllegalArgumentException(
          "count must be in [1, " + capacity + "] but was " + count);
    }
    if (data.exampleShape().size() != exampleShape.size()
        || data.isClassification() != isClassification()
        || (!isClassification() && data.targetSize() != targetSize)) {
      throw new IllegalArgumentException("dataset " + data + " does not fit this batch of "
          + exampleShape + (isClassification() ? " with labels" : " with " + targetSize + " targets"));
    }
    data.copyBatch(order, from, count, features, isClassification() ? labels : targets);
    size = count;
  }

  /** The number of examples currently loaded. */
  public int size() {
    return size;
  }

  /** The most examples this batch holds. */
  public int capacity() {
    return capacity;
  }

  /** The shape of one example's features. */
  public Shape exampleShape() {
    return exampleShape;
  }

  /** Features, {@code size() x exampleShape().size()} row-major (shared, not copied). */
  public float[] features() {
    return features;
  }

  /** Whether examples carry labels (otherwise targets). */
  public boolean isClassification() {
    return labels != null;
  }

  /** Labels (shared), or {@code null} for regression. */
  public int[] labels() {
    return labels;
  }

  /** Targets, {@code size() x targetSize()} (shared), or {@code null} for classification. */
  public float[] targets() {
    return targets;
  }

  /** Floats per target (0 for classification). */
  public int targetSize() {
    return targetSize;
  }

  @Override
  public String toString() {
    return "Batch[" + size + "/" + capacity + " x " + exampleShape + "]";
  }
}
