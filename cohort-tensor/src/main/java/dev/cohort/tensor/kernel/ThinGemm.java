package dev.cohort.tensor.kernel;

import static dev.cohort.tensor.kernel.MicroKernels.L;
import static dev.cohort.tensor.kernel.MicroKernels.MR;
import static dev.cohort.tensor.kernel.MicroKernels.NR;
import static dev.cohort.tensor.kernel.VectorGemm.ceilDiv;

/**
 * {@link VectorGemm}'s path for {@code C = A B^T} with at most one panel of rows (a dense layer's
 * forward pass over a mini-batch), computed as {@code C^T = B A^T}: the rows of B, typically the
 * layer's weights, are read in place by the kernel, eight at a time, because each is used by one
 * kernel call only and packing B would transpose all of it for nothing. {@code A^T} is packed
 * once per depth block into one panel, and tiles are stored transposed. Each element of C is one
 * chain of fused multiply-adds per depth block, whatever the thread count. Stateless and
 * thread-safe.
 */
final class ThinGemm {
  /**
   * The depth of a block: each block re-reads and re-stores C transposed, so one block over the
   * whole depth is fastest while the packed {@code A^T} (up to {@code 4096 x NR} floats, 512 KB)
   * stays in L2: the CNN's {@code 32 x 512 x 3136} ran at 199 GFLOP/s in one block against 176
   * in blocks of 1024.
   */
  private static final int KC = 4096;

  private ThinGemm() {}

  /**
   * {@code C = alpha A B^T + beta C} for {@code m <= NR}, over row strips of {@code C^T} (columns
   * of C) split across up to {@code threads} threads of the intra-op pool.
   */
  static void multiply(
      int threads, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    int parts = Math.min(threads, n / NR);
    if (parts < 2) {
      multiply(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    VectorGemm.splitRange(n, MR, parts, (from, to) -> multiply(m, to - from, k, alpha,
        a, aOff, lda, b, bOff + from * ldb, ldb, beta, c, cOff + from, ldc));
  }

  /** One thread's share: rows {@code [0, n)} of {@code C^T}. */
  private static void multiply(
      int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    int kcStep = ceilDiv(k, ceilDiv(k, KC));
    boolean wide = m > L;
    int width = wide ? NR : L;
    GemmScratch scratch = GemmScratch.acquire();
    try {
      float[] panel = scratch.packedB(NR * kcStep);
      float[] rest = scratch.packedA(MR * kcStep);
      float[] tile = scratch.tile;
      for (int pc = 0; pc < k; pc += kcStep) {
        int kc = Math.min(kcStep, k - pc);
        float betaNow = pc == 0 ? beta : 1f;
        Packing.packB(true, a, aOff, lda, pc, kc, 0, m, panel);
        for (int i = 0; i < n; i += MR) {
          int rows = Math.min(MR, n - i);
          if (rows == MR && wide) {
            MicroKernels.kernel8x2InPlace(kc, b, bOff + i * ldb + pc, ldb, panel, 0, width, tile);
          } else if (rows == MR) {
            MicroKernels.kernel8x1InPlace(kc, b, bOff + i * ldb + pc, ldb, panel, 0, width, tile);
          } else {
            Packing.packA(false, b, bOff, ldb, i, rows, pc, kc, rest);
            MicroKernels.multiply(rows, m, kc, rest, 0, panel, 0, width, tile);
          }
          MicroKernels.storeTransposed(tile, rows, m, alpha, betaNow, c, cOff + i, ldc);
        }
      }
    } finally {
      GemmScratch.release(scratch);
    }
  }
}
