package dev.cohort.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernels of {@link VectorGemm}: each multiplies one packed panel of A
 * ({@code kc x MR}, see {@link Packing#packA}) by one panel of B ({@code kc} rows of two vectors,
 * or one, with row stride {@code ldbp}: a packed panel from {@link Packing#packB} or B itself)
 * into a tile of accumulators, then {@link #store} merges the tile into C.
 *
 * <p>The accumulators are local variables so that C2 keeps them in vector registers: the 8 x 2
 * kernel holds 16 of the 32 AVX-512 registers, leaving room for the two B vectors and the
 * broadcast of A. Stateless and thread-safe; the tile array belongs to the caller.
 */
final class MicroKernels {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Lanes of one vector. */
  static final int L = SPECIES.length();
  /** Rows of a packed A panel. */
  static final int MR = 8;
  /** Columns of a full packed B panel: two vectors. */
  static final int NR = 2 * L;
  /** Size of the accumulator tile, row stride {@link #NR}. */
  static final int TILE = MR * NR;

  private MicroKernels() {}

  /**
   * The kernel for a tile of {@code rows x cols} (at most {@code MR x NR}): 8 or 4 rows, two
   * vectors or one ({@code cols <= L}, with {@code ldbp} then the stride of a one-vector panel).
   */
  static void multiply(int rows, int cols,
      int kc, float[] ap, int aIdx, float[] bp, int bIdx, int ldbp, float[] tile) {
    if (cols > L) {
      if (rows > 4) {
        kernel8x2(kc, ap, aIdx, bp, bIdx, ldbp, tile);
      } else {
        kernel4x2(kc, ap, aIdx, bp, bIdx, ldbp, tile);
      }
    } else if (rows > 4) {
      kernel8x1(kc, ap, aIdx, bp, bIdx, ldbp, tile);
    } else {
      kernel4x1(kc, ap, aIdx, bp, bIdx, ldbp, tile);
    }
  }

  /** 8 rows x 2 vectors. */
  static void kernel8x2(
      int kc, float[] ap, int aIdx, float[] bp, int bIdx, int ldbp, float[] tile) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00;
    FloatVector c71 = c00;
    for (int p = 0; p < kc; p++) {
      int bi = bIdx + p * ldbp;
      int ai = aIdx + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
      FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(SPECIES, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(SPECIES, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(SPECIES, ap[ai + 6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(SPECIES, ap[ai + 7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + L);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + L);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + L);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + L);
  }

  /**
   * 8 rows x 2 vectors with A read in place: row {@code r} of the panel is {@code a[aIdx + r * lda
   * + p]}, for a product where each element of A is used by only this one kernel call, so packing
   * it would cost a copy for nothing.
   */
  static void kernel8x2InPlace(
      int kc, float[] a, int aIdx, int lda, float[] bp, int bIdx, int ldbp, float[] tile) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00;
    FloatVector c71 = c00;
    int a0 = aIdx;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    int a6 = a5 + lda;
    int a7 = a6 + lda;
    for (int p = 0; p < kc; p++) {
      int bi = bIdx + p * ldbp;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
      FloatVector v = FloatVector.broadcast(SPECIES, a[a0 + p]);
      c00 = v.fma(b0, c00);
      c01 = v.fma(b1, c01);
      v = FloatVector.broadcast(SPECIES, a[a1 + p]);
      c10 = v.fma(b0, c10);
      c11 = v.fma(b1, c11);
      v = FloatVector.broadcast(SPECIES, a[a2 + p]);
      c20 = v.fma(b0, c20);
      c21 = v.fma(b1, c21);
      v = FloatVector.broadcast(SPECIES, a[a3 + p]);
      c30 = v.fma(b0, c30);
      c31 = v.fma(b1, c31);
      v = FloatVector.broadcast(SPECIES, a[a4 + p]);
      c40 = v.fma(b0, c40);
      c41 = v.fma(b1, c41);
      v = FloatVector.broadcast(SPECIES, a[a5 + p]);
      c50 = v.fma(b0, c50);
      c51 = v.fma(b1, c51);
      v = FloatVector.broadcast(SPECIES, a[a6 + p]);
      c60 = v.fma(b0, c60);
      c61 = v.fma(b1, c61);
      v = FloatVector.broadcast(SPECIES, a[a7 + p]);
      c70 = v.fma(b0, c70);
      c71 = v.fma(b1, c71);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + L);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + L);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + L);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + L);
  }

  /** 8 rows x 1 vector with A read in place, as {@link #kernel8x2InPlace}. */
  static void kernel8x1InPlace(
      int kc, float[] a, int aIdx, int lda, float[] bp, int bIdx, int ldbp, float[] tile) {
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    int a0 = aIdx;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    int a6 = a5 + lda;
    int a7 = a6 + lda;
    for (int p = 0; p < kc; p++) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx + p * ldbp);
      c0 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(b0, c0);
      c1 = FloatVector.broadcast(SPECIES, a[a1 + p]).fma(b0, c1);
      c2 = FloatVector.broadcast(SPECIES, a[a2 + p]).fma(b0, c2);
      c3 = FloatVector.broadcast(SPECIES, a[a3 + p]).fma(b0, c3);
      c4 = FloatVector.broadcast(SPECIES, a[a4 + p]).fma(b0, c4);
      c5 = FloatVector.broadcast(SPECIES, a[a5 + p]).fma(b0, c5);
      c6 = FloatVector.broadcast(SPECIES, a[a6 + p]).fma(b0, c6);
      c7 = FloatVector.broadcast(SPECIES, a[a7 + p]).fma(b0, c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, NR);
    c2.intoArray(tile, 2 * NR);
    c3.intoArray(tile, 3 * NR);
    c4.intoArray(tile, 4 * NR);
    c5.intoArray(tile, 5 * NR);
    c6.intoArray(tile, 6 * NR);
    c7.intoArray(tile, 7 * NR);
  }

  /** 4 rows x 2 vectors, for the last rows of A when at most 4 remain. */
  static void kernel4x2(
      int kc, float[] ap, int aIdx, float[] bp, int bIdx, int ldbp, float[] tile) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (int p = 0; p < kc; p++) {
      int bi = bIdx + p * ldbp;
      int ai = aIdx + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
      FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
  }

  /** 8 rows x 1 vector, for a last B panel of at most {@link #L} columns (stride L). */
  static void kernel8x1(
      int kc, float[] ap, int aIdx, float[] bp, int bIdx, int ldbp, float[] tile) {
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx + p * ldbp);
      c0 = FloatVector.broadcast(SPECIES, ap[ai]).fma(b0, c0);
      c1 = FloatVector.broadcast(SPECIES, ap[ai + 1]).fma(b0, c1);
      c2 = FloatVector.broadcast(SPECIES, ap[ai + 2]).fma(b0, c2);
      c3 = FloatVector.broadcast(SPECIES, ap[ai + 3]).fma(b0, c3);
      c4 = FloatVector.broadcast(SPECIES, ap[ai + 4]).fma(b0, c4);
      c5 = FloatVector.broadcast(SPECIES, ap[ai + 5]).fma(b0, c5);
      c6 = FloatVector.broadcast(SPECIES, ap[ai + 6]).fma(b0, c6);
      c7 = FloatVector.broadcast(SPECIES, ap[ai + 7]).fma(b0, c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, NR);
    c2.intoArray(tile, 2 * NR);
    c3.intoArray(tile, 3 * NR);
    c4.intoArray(tile, 4 * NR);
    c5.intoArray(tile, 5 * NR);
    c6.intoArray(tile, 6 * NR);
    c7.intoArray(tile, 7 * NR);
  }

  /** 4 rows x 1 vector. */
  static void kernel4x1(
      int kc, float[] ap, int aIdx, float[] bp, int bIdx, int ldbp, float[] tile) {
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0, c2 = c0, c3 = c0;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx + p * ldbp);
      c0 = FloatVector.broadcast(SPECIES, ap[ai]).fma(b0, c0);
      c1 = FloatVector.broadcast(SPECIES, ap[ai + 1]).fma(b0, c1);
      c2 = FloatVector.broadcast(SPECIES, ap[ai + 2]).fma(b0, c2);
      c3 = FloatVector.broadcast(SPECIES, ap[ai + 3]).fma(b0, c3);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, NR);
    c2.intoArray(tile, 2 * NR);
    c3.intoArray(tile, 3 * NR);
  }

  /**
   * Merges the first {@code rows x cols} of a tile into C: {@code C = alpha * tile + beta * C}, where
   * {@code beta == 0} never reads C.
   */
  static void store(
      float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cIdx, int ldc) {
    FloatVector betaV = FloatVector.broadcast(SPECIES, beta);
    for (int r = 0; r < rows; r++, cIdx += ldc) {
      int t = r * NR;
      int v = 0;
      for (; v + L <= cols; v += L) {
        FloatVector acc = FloatVector.fromArray(SPECIES, tile, t + v).mul(alpha);
        if (beta == 0f) {
          acc.intoArray(c, cIdx + v);
        } else if (beta == 1f) {
          acc.add(FloatVector.fromArray(SPECIES, c, cIdx + v)).intoArray(c, cIdx + v);
        } else {
          FloatVector.fromArray(SPECIES, c, cIdx + v).fma(betaV, acc).intoArray(c, cIdx + v);
        }
      }
      if (v < cols) {
        VectorMask<Float> mask = SPECIES.indexInRange(v, cols);
        FloatVector acc = FloatVector.fromArray(SPECIES, tile, t + v).mul(alpha);
        if (beta == 0f) {
          acc.intoArray(c, cIdx + v, mask);
        } else {
          FloatVector old = FloatVector.fromArray(SPECIES, c, cIdx + v, mask);
          (beta == 1f ? acc.add(old) : old.fma(betaV, acc)).intoArray(c, cIdx + v, mask);
        }
      }
    }
  }

  /**
   * Merges the first {@code rows x cols} of a tile into C transposed: {@code C[j][r] = alpha *
   * tile[r][j] + beta * C[j][r]}, for products computed as {@code C^T = B^T A^T}.
   */
  static void storeTransposed(
      float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cIdx, int ldc) {
    for (int j = 0; j < cols; j++, cIdx += ldc) {
      for (int r = 0; r < rows; r++) {
        float v = alpha * tile[r * NR + j];
        int ci = cIdx + r;
        c[ci] = beta == 0f ? v : beta == 1f ? c[ci] + v : Math.fma(beta, c[ci], v);
      }
    }
  }
}
