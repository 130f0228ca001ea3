package dev.cohort.tensor.kernel;

import java.util.Objects;

/**
 * Boundary checks shared by the {@link Gemm} implementations.
 *
 * <p>Native kernels read and write the arrays without bounds checks, so every element that a call
 * touches is checked here first: a wrong leading dimension or offset becomes an {@link
 * IllegalArgumentException} instead of memory corruption. Stateless and thread-safe.
 */
final class GemmArguments {
  private GemmArguments() {}

  /**
   * Checks the sizes, leading dimensions and array extents of one {@link Gemm#sgemm} call.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is not positive, a leading dimension is too small
   *     or an operand does not fit its array
   */
  static void check(
      boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(c, "c");
    positive("m", m);
    positive("n", n);
    positive("k", k);
    operand("a", a, aOff, lda, transA ? k : m, transA ? m : k);
    operand("b", b, bOff, ldb, transB ? n : k, transB ? k : n);
    operand("c", c, cOff, ldc, m, n);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0 but was " + value);
    }
  }

  /** Checks a stored (not transposed) {@code rows x cols} matrix with row stride {@code ld}. */
  private static void operand(String name, float[] array, int off, int ld, int rows, int cols) {
    if (ld < cols) {
      throw new IllegalArgumentException(
          "ld" + name + " must be >= " + cols + " (columns of " + name + " as stored) but was " + ld);
    }
    if (off < 0) {
      throw new IllegalArgumentException(name + "Off must be >= 0 but was " + off);
    }
    long end = off + (long) (rows - 1) * ld + cols;
    if (end > array.length) {
      throw new IllegalArgumentException(
          name + " needs " + end + " elements (offset " + off + ", " + rows + " x " + cols
              + ", ld " + ld + ") but has " + array.length);
    }
  }
}
