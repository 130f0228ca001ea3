package dev.cohort.tensor;

import java.util.Objects;

/**
 * A float32 tensor: a {@link Shape} over a window of a flat {@code float[]}, row-major.
 *
 * <p>A tensor may be a view into a larger array (for example one parameter of a {@link
 * ParameterSet}); writes through a view change the backing array. Not thread-safe for writes. The
 * backing array is exposed on purpose so that kernels run over it without copies.
 */
public final class Tensor {
  private final float[] data;
  private final int offset;
  private final Shape shape;

  private Tensor(float[] data, int offset, Shape shape) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    if (offset < 0 || offset + shape.size() > data.length) {
      throw new IllegalArgumentException(
          "view of shape " + shape + " at offset " + offset + " does not fit an array of " + data.length);
    }
    this.data = data;
    this.offset = offset;
    this.shape = shape;
  }

  /** A new zero-filled tensor. */
  public static Tensor zeros(Shape shape) {
    return new Tensor(new float[shape.size()], 0, shape);
  }

  /** A tensor over {@code data} (not copied), whose length must equal the shape's size. */
  public static Tensor of(float[] data, Shape shape) {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "data has " + data.length + " elements but shape " + shape + " needs " + shape.size());
    }
    return new Tensor(data, 0, shape);
  }

  /** A view of {@code shape.size()} elements of {@code data} starting at {@code offset}. */
  public static Tensor view(float[] data, int offset, Shape shape) {
    return new Tensor(data, offset, shape);
  }

  /** The backing array (shared, not copied). */
  public float[] data() {
    return data;
  }

  /** Index of this tensor's first element in {@link #data()}. */
  public int offset() {
    return offset;
  }

  public Shape shape() {
    return shape;
  }

  /** The number of elements. */
  public int size() {
    return shape.size();
  }

  /** The element at a flat (row-major) index. */
  public float get(int flatIndex) {
    return data[offset + checkIndex(flatIndex)];
  }

  /** Sets the element at a flat (row-major) index. */
  public void set(int flatIndex, float value) {
    data[offset + checkIndex(flatIndex)] = value;
  }

  /** A copy of this tensor's elements in a new array. */
  public float[] toArray() {
    float[] out = new float[size()];
    System.arraycopy(data, offset, out, 0, out.length);
    return out;
  }

  /** A copy backed by a new array. */
  public Tensor copy() {
    return new Tensor(toArray(), 0, shape);
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= shape.size()) {
      throw new IndexOutOfBoundsException("index " + i + " out of bounds for shape " + shape);
    }
    return i;
  }

  @Override
  public String toString() {
    return "Tensor" + shape;
  }
}
