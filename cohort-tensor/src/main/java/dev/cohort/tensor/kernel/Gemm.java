package dev.cohort.tensor.kernel;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its transpose.
 *
 * <p>{@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}.
 * {@code lda}, {@code ldb}, {@code ldc} are the row strides of the arrays as stored (so for a
 * transposed A stored as {@code k x m}, {@code lda >= m}). Implementations are thread-safe.
 * When {@code beta == 0}, C's previous contents are ignored (NaN in C does not propagate).
 */
public interface Gemm {
  void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc);

  /** A short name for reports: "java-vector", "openblas", ... */
  String name();
}
