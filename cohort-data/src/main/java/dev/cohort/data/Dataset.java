package dev.cohort.data;

import dev.cohort.tensor.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory set of examples: features of one {@link Shape} each, with either class labels
 * (classification) or float targets (regression).
 *
 * <p>Immutable and thread-safe. A dataset may be a <em>view</em> that selects some examples of a
 * base dataset through an index array: {@link #subset(int[])} never copies features, so a
 * federation of many clients over one dataset costs one copy of the data plus the indices.
 */
public final class Dataset {
  private final String name;
  private final Shape exampleShape;
  private final float[] features; // base examples, each exampleShape.size() floats
  private final int[] labels; // base labels, or null for regression
  private final float[] targets; // base targets (targetSize per example), or null for classification
  private final int numClasses; // > 0 for classification, 0 for regression
  private final int targetSize; // > 0 for regression, 0 for classification
  private final int[] index; // base example of each example of this view, or null for identity
  private final int size;

  private Dataset(String name, Shape exampleShape, float[] features, int[] labels, float[] targets,
      int numClasses, int targetSize, int[] index) {
    this.name = Objects.requireNonNull(name, "name");
    this.exampleShape = Objects.requireNonNull(exampleShape, "exampleShape");
    this.features = Objects.requireNonNull(features, "features");
    this.labels = labels;
    this.targets = targets;
    this.numClasses = numClasses;
    this.targetSize = targetSize;
    this.index = index;
    int baseSize = features.length / exampleShape.size();
    if (baseSize * exampleShape.size() != features.length) {
      throw new IllegalArgumentException(name + ": " + features.length
          + " feature values are not a whole number of examples of shape " + exampleShape);
    }
    this.size = index == null ? baseSize : index.length;
  }

  /** A classification dataset; {@code features} and {@code labels} are taken, not copied. */
  public static Dataset classification(
      String name, Shape exampleShape, float[] features, int[] labels, int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2 but was " + numClasses);
    }
    int n = features.length / exampleShape.size();
    if (labels.length != n) {
      throw new IllegalArgumentException(
          name + ": " + n + " examples but " + labels.length + " labels");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(name + ": label of example " + i + " is " + labels[i]
            + ", outside [0, " + numClasses + ")");
      }
    }
    return new Dataset(name, exampleShape, features, labels, null, numClasses, 0, null);
  }

  /** A regression dataset with {@code targetSize} float targets per example (taken, not copied). */
  public static Dataset regression(
      String name, Shape exampleShape, float[] features, float[] targets, int targetSize) {
    if (targetSize < 1) {
      throw new IllegalArgumentException("targetSize must be >= 1 but was " + targetSize);
    }
    int n = features.length / exampleShape.size();
    if (targets.length != n * targetSize) {
      throw new IllegalArgumentException(name + ": " + n + " examples need " + n * targetSize
          + " targets but " + targets.length + " were given");
    }
    return new Dataset(name, exampleShape, features, null, targets, 0, targetSize, null);
  }

  /** A view of the examples at {@code indices} of this dataset (in that order; not copied). */
  public Dataset subset(int[] indices) {
    int[] base = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int j = indices[i];
      if (j < 0 || j >= size) {
        throw new IndexOutOfBoundsException("index " + j + " outside dataset of " + size);
      }
      base[i] = index == null ? j : index[j];
    }
    return new Dataset(name, exampleShape, features, labels, targets, numClasses, targetSize, base);
  }

  /** The first {@code n} examples (a view). */
  public Dataset head(int n) {
    int m = Math.min(n, size);
    int[] idx = new int[m];
    Arrays.setAll(idx, i -> i);
    return subset(idx);
  }

  /** This dataset under another name (a view). */
  public Dataset named(String newName) {
    return new Dataset(newName, exampleShape, features, labels, targets, numClasses, targetSize, index);
  }

  public String name() {
    return name;
  }

  /** The number of examples. */
  public int size() {
    return size;
  }

  /** The shape of one example's features. */
  public Shape exampleShape() {
    return exampleShape;
  }

  /** Whether examples carry class labels (otherwise float targets). */
  public boolean isClassification() {
    return labels != null;
  }

  /** The number of classes (0 for regression). */
  public int numClasses() {
    return numClasses;
  }

  /** Floats per example target (0 for classification). */
  public int targetSize() {
    return targetSize;
  }

  /** The label of example {@code i}. */
  public int label(int i) {
    if (labels == null) {
      throw new IllegalStateException(name + " is a regression dataset and has no labels");
    }
    return labels[base(i)];
  }

  /** All labels of this view, in order, as a new array. */
  public int[] labels() {
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = label(i);
    }
    return out;
  }

  /**
   * Copies the features of examples {@code order[from..from+count)} into {@code x} (row after
   * row) and their labels or targets into {@code y} (an {@code int[]} for classification, a
   * {@code float[]} for regression).
   */
  public void copyBatch(int[] order, int from, int count, float[] x, Object y) {
    int d = exampleShape.size();
    for (int r = 0; r < count; r++) {
      int b = base(order[from + r]);
      System.arraycopy(features, b * d, x, r * d, d);
      if (labels != null) {
        ((int[]) y)[r] = labels[b];
      } else {
        System.arraycopy(targets, b * targetSize, (float[]) y, r * targetSize, targetSize);
      }
    }
  }

  /** Per-class example counts (classification only). */
  public int[] labelHistogram() {
    int[] h = new int[numClasses];
    for (int i = 0; i < size; i++) {
      h[label(i)]++;
    }
    return h;
  }

  private int base(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("example " + i + " outside dataset of " + size);
    }
    return index == null ? i : index[i];
  }

  @Override
  public String toString() {
    return "Dataset[" + name + ", " + size + " x " + exampleShape
        + (labels != null ? ", " + numClasses + " classes" : ", targets " + targetSize) + "]";
  }
}
