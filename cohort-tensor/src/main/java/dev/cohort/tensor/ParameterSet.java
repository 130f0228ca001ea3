package dev.cohort.tensor;

import java.util.Objects;

/**
 * A model's parameters: a {@link ParameterLayout} over one contiguous {@code float[]}, so that
 * aggregation, clipping and serialisation work on a single array instead of tensor by tensor.
 *
 * <p>Not thread-safe for writes. {@link #data()} exposes the backing array without copying; code
 * that receives a set it did not create must treat it as read-only and {@link #copy()} it first.
 */
public final class ParameterSet {
  private final ParameterLayout layout;
  private final float[] data;

  private ParameterSet(ParameterLayout layout, float[] data) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.data = Objects.requireNonNull(data, "data");
    if (data.length != layout.totalSize()) {
      throw new IllegalArgumentException(
          "data has " + data.length + " floats but the layout needs " + layout.totalSize());
    }
  }

  /** A zero-filled set with the given layout. */
  public static ParameterSet zeros(ParameterLayout layout) {
    return new ParameterSet(layout, new float[layout.totalSize()]);
  }

  /** A set over {@code data} (not copied). */
  public static ParameterSet wrap(ParameterLayout layout, float[] data) {
    return new ParameterSet(layout, data);
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** The backing array of all parameters, in layout order (shared, not copied). */
  public float[] data() {
    return data;
  }

  /** The total number of floats. */
  public int size() {
    return data.length;
  }

  /** A view of the named parameter; writes go to this set. */
  public Tensor tensor(String name) {
    ParameterLayout.Entry e = layout.entry(name);
    return Tensor.view(data, e.offset(), e.shape());
  }

  /** A deep copy. */
  public ParameterSet copy() {
    return new ParameterSet(layout, data.clone());
  }

  /** Overwrites this set's values with {@code other}'s; the layouts must be equal. */
  public void copyFrom(ParameterSet other) {
    layout.checkCompatible(other.layout, "source");
    System.arraycopy(other.data, 0, data, 0, data.length);
  }

  /** Index of the first NaN or infinite value, or -1 if every value is finite. */
  public int firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Where flat index {@code i} lives, as "name[flat index within that tensor]", e.g. "dense0.bias[3]". */
  public String nameAt(int i) {
    for (ParameterLayout.Entry e : layout.entries()) {
      if (i >= e.offset() && i < e.offset() + e.size()) {
        return e.name() + "[" + (i - e.offset()) + "]";
      }
    }
    throw new IndexOutOfBoundsException("index " + i + " outside " + data.length + " parameters");
  }

  @Override
  public String toString() {
    return "ParameterSet[" + layout.entries().size() + " tensors, " + data.length + " floats]";
  }
}
