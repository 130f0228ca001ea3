package dev.cohort.tensor.kernel;

import static dev.cohort.tensor.kernel.MicroKernels.L;
import static dev.cohort.tensor.kernel.MicroKernels.MR;
import static dev.cohort.tensor.kernel.MicroKernels.NR;
import static dev.cohort.tensor.kernel.MicroKernels.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Copies blocks of {@code op(A)} and {@code op(B)} into the contiguous panel layouts that {@link
 * MicroKernels} stream through. Packing is where the transpose flags are resolved, so the kernels
 * see the same layout for all four combinations; operands that must be transposed on the way are
 * moved 16 x 16 (or 8 x 16) blocks at a time through registers ({@link Transposes}).
 *
 * <p>Layouts, for a block starting at {@code (row0, p0)} of {@code op(A)} and {@code (p0, col0)} of
 * {@code op(B)}:
 *
 * <ul>
 *   <li>A: panels of {@link MicroKernels#MR} rows; panel {@code q} starts at {@code q * MR * kc}
 *       and holds element {@code (q * MR + r, p)} at {@code p * MR + r}. Rows past the block are
 *       zero.
 *   <li>B: panels of {@link MicroKernels#NR} columns; the panel starting at column {@code j}
 *       starts at {@code j * kc} and holds element {@code (p, j + s)} at {@code p * w + s}, where
 *       the width {@code w} is NR, or L for a last panel of at most L columns. Columns past the
 *       block are zero.
 * </ul>
 *
 * Stateless and thread-safe; the destination arrays belong to the caller.
 */
final class Packing {
  private static final boolean REGISTER_TRANSPOSE = Transposes.AVAILABLE && MR == 8 && NR == 32;

  private Packing() {}

  /** Packs rows {@code [row0, row0 + mc)} and columns {@code [p0, p0 + kc)} of {@code op(A)}. */
  static void packA(
      boolean transA, float[] a, int aOff, int lda, int row0, int mc, int p0, int kc, float[] ap) {
    for (int ir = 0; ir < mc; ir += MR) {
      int rows = Math.min(MR, mc - ir);
      int dst = ir * kc;
      if (transA) {
        packTransposedA(a, aOff + p0 * lda + row0 + ir, lda, kc, rows, ap, dst);
      } else {
        packA(a, aOff + (row0 + ir) * lda + p0, lda, kc, rows, ap, dst);
      }
    }
  }

  /** A stored as {@code m x k}: panel rows are array rows, so each panel is a transpose. */
  private static void packA(float[] a, int src, int lda, int kc, int rows, float[] ap, int dst) {
    int p = 0;
    if (rows == MR && REGISTER_TRANSPOSE) {
      for (; p + L <= kc; p += L) {
        Transposes.pack8x16(a, src + p, lda, ap, dst + p * MR);
      }
    }
    if (p == kc) {
      return;
    }
    for (int r = 0; r < rows; r++) {
      int from = src + r * lda;
      int d = dst + r;
      for (int q = p; q < kc; q++) {
        ap[d + q * MR] = a[from + q];
      }
    }
    for (int r = rows; r < MR; r++) {
      int d = dst + r;
      for (int q = p; q < kc; q++) {
        ap[d + q * MR] = 0f;
      }
    }
  }

  /** A stored as {@code k x m}: each panel row of 8 floats is a contiguous run. */
  private static void packTransposedA(
      float[] a, int src, int lda, int kc, int rows, float[] ap, int dst) {
    for (int p = 0; p < kc; p++, src += lda, dst += MR) {
      for (int r = 0; r < rows; r++) {
        ap[dst + r] = a[src + r];
      }
      for (int r = rows; r < MR; r++) {
        ap[dst + r] = 0f;
      }
    }
  }

  /** Packs rows {@code [p0, p0 + kc)} and columns {@code [col0, col0 + nc)} of {@code op(B)}. */
  static void packB(
      boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int col0, int nc, float[] bp) {
    for (int jr = 0; jr < nc; jr += NR) {
      int cols = Math.min(NR, nc - jr);
      int width = cols > L ? NR : L;
      int dst = jr * kc;
      if (transB) {
        packTransposedB(b, bOff + (col0 + jr) * ldb + p0, ldb, kc, cols, width, bp, dst);
      } else {
        packB(b, bOff + p0 * ldb + col0 + jr, ldb, kc, cols, width, bp, dst);
      }
    }
  }

  /** B stored as {@code k x n}: panel rows are slices of array rows. */
  private static void packB(
      float[] b, int src, int ldb, int kc, int cols, int width, float[] bp, int dst) {
    if (cols == NR) {
      for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
        FloatVector.fromArray(SPECIES, b, src).intoArray(bp, dst);
        FloatVector.fromArray(SPECIES, b, src + L).intoArray(bp, dst + L);
      }
    } else if (width == NR) {
      VectorMask<Float> high = SPECIES.indexInRange(L, cols);
      for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
        FloatVector.fromArray(SPECIES, b, src).intoArray(bp, dst);
        FloatVector.fromArray(SPECIES, b, src + L, high).intoArray(bp, dst + L);
      }
    } else {
      VectorMask<Float> low = SPECIES.indexInRange(0, cols);
      for (int p = 0; p < kc; p++, src += ldb, dst += L) {
        FloatVector.fromArray(SPECIES, b, src, low).intoArray(bp, dst);
      }
    }
  }

  /** B stored as {@code n x k}: each panel is a transpose of {@code cols} array rows. */
  private static void packTransposedB(
      float[] b, int src, int ldb, int kc, int cols, int width, float[] bp, int dst) {
    int groups = REGISTER_TRANSPOSE ? cols / L : 0;
    int pEnd = groups > 0 ? kc - kc % L : 0;
    // One group of L rows of B at a time, each read front to back: L sequential streams for the
    // prefetcher rather than the whole panel's, which made a cold B pack markedly slower.
    for (int g = 0; g < groups; g++) {
      for (int p = 0; p < pEnd; p += L) {
        Transposes.transpose16x16(b, src + g * L * ldb + p, ldb, bp, dst + p * width + g * L, width);
      }
    }
    for (int s = 0; s < cols; s++) {
      int from = src + s * ldb;
      int d = dst + s;
      for (int q = s < groups * L ? pEnd : 0; q < kc; q++) {
        bp[d + q * width] = b[from + q];
      }
    }
    if (cols < width) {
      for (int q = 0; q < kc; q++) {
        int d = dst + q * width;
        Arrays.fill(bp, d + cols, d + width, 0f);
      }
    }
  }
}
