package dev.cohort.tensor;

import java.util.Arrays;

/**
 * The dimensions of a row-major tensor, outermost first. Immutable and thread-safe.
 *
 * <p>A shape of rank 0 is a scalar and has size 1. Every dimension must be positive.
 */
public final class Shape {
  private final int[] dims;
  private final int size;

  private Shape(int[] dims) {
    long size = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] <= 0) {
        throw new IllegalArgumentException(
            "dimension " + i + " must be > 0 but was " + dims[i] + " in " + Arrays.toString(dims));
      }
      size *= dims[i];
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31 elements");
      }
    }
    this.dims = dims;
    this.size = (int) size;
  }

  /** A shape with the given dimensions (copied). */
  public static Shape of(int... dims) {
    return new Shape(dims.clone());
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative indices count from the end. */
  public int dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** The number of elements: the product of the dimensions. */
  public int size() {
    return size;
  }

  /** This shape without its first dimension: the shape of one example of a batch. */
  public Shape dropFirst() {
    return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /** This shape with {@code n} prepended: a batch of {@code n} values of this shape. */
  public Shape prepend(int n) {
    int[] d = new int[dims.length + 1];
    d[0] = n;
    System.arraycopy(dims, 0, d, 1, dims.length);
    return new Shape(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
