package dev.cohort.tensor.kernel;

import static dev.cohort.tensor.kernel.MicroKernels.L;
import static dev.cohort.tensor.kernel.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * {@code C = alpha * A B^T + beta * C} for a non-transposed A with few rows and a transposed B
 * (stored {@code n x k}), as rows of dot products: both operands are read along their contiguous
 * rows, so B (typically a weight matrix, {@code x W^T} in a dense layer) is streamed from memory
 * once, with no packing copy. Rows of C are computed four by four against four rows of B, so
 * each B row is loaded from memory once and reused from cache by the remaining row blocks of A.
 *
 * <p>Each dot product accumulates in vector lanes over the multiples of the vector length, is
 * reduced across lanes in a fixed order, and then adds the remaining products in order; results
 * depend only on the shapes, not on how the columns of C are split across threads. Stateless and
 * thread-safe.
 */
final class DotKernels {
  /** Where {@link #sums16} puts the transposed accumulators, and then their sums. */
  private static final int TRANSPOSED = 16 * L;
  private static final int SUMS = 2 * 16 * L;
  /** Lane scratch of one call: 16 vectors, their transpose and 16 sums. */
  private static final int SCRATCH = SUMS + L;

  private DotKernels() {}

  /** Columns {@code [j0, j1)} of C. */
  static void dotNT(int m, int j0, int j1, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    int kv = k - k % L;
    float[] lanes = new float[SCRATCH];
    int j = j0;
    for (; j + 4 <= j1; j += 4) {
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        block4x4(i, j, k, kv, lanes, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      }
      for (; i < m; i++) {
        block1x4(i, j, k, kv, lanes, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      }
    }
    for (; j < j1; j++) {
      for (int i = 0; i < m; i++) {
        int ar = aOff + i * lda;
        int br = bOff + j * ldb;
        FloatVector s = FloatVector.zero(SPECIES);
        for (int p = 0; p < kv; p += L) {
          FloatVector x = FloatVector.fromArray(SPECIES, a, ar + p);
          s = x.fma(FloatVector.fromArray(SPECIES, b, br + p), s);
        }
        put(alpha, beta, c, cOff + i * ldc + j, tail(s, a, ar, b, br, kv, k, lanes));
      }
    }
  }

  private static void block4x4(int i, int j, int k, int kv, float[] lanes, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    int a0 = aOff + i * lda;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int b0 = bOff + j * ldb;
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
    FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00;
    FloatVector s33 = s00;
    for (int p = 0; p < kv; p += L) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, b0 + p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, b1 + p);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, b2 + p);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, b3 + p);
      FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
      s00 = x.fma(w0, s00);
      s01 = x.fma(w1, s01);
      s02 = x.fma(w2, s02);
      s03 = x.fma(w3, s03);
      x = FloatVector.fromArray(SPECIES, a, a1 + p);
      s10 = x.fma(w0, s10);
      s11 = x.fma(w1, s11);
      s12 = x.fma(w2, s12);
      s13 = x.fma(w3, s13);
      x = FloatVector.fromArray(SPECIES, a, a2 + p);
      s20 = x.fma(w0, s20);
      s21 = x.fma(w1, s21);
      s22 = x.fma(w2, s22);
      s23 = x.fma(w3, s23);
      x = FloatVector.fromArray(SPECIES, a, a3 + p);
      s30 = x.fma(w0, s30);
      s31 = x.fma(w1, s31);
      s32 = x.fma(w2, s32);
      s33 = x.fma(w3, s33);
    }
    int c0 = cOff + i * ldc + j;
    if (Transposes.AVAILABLE) {
      s00.intoArray(lanes, 0);
      s01.intoArray(lanes, L);
      s02.intoArray(lanes, 2 * L);
      s03.intoArray(lanes, 3 * L);
      s10.intoArray(lanes, 4 * L);
      s11.intoArray(lanes, 5 * L);
      s12.intoArray(lanes, 6 * L);
      s13.intoArray(lanes, 7 * L);
      s20.intoArray(lanes, 8 * L);
      s21.intoArray(lanes, 9 * L);
      s22.intoArray(lanes, 10 * L);
      s23.intoArray(lanes, 11 * L);
      s30.intoArray(lanes, 12 * L);
      s31.intoArray(lanes, 13 * L);
      s32.intoArray(lanes, 14 * L);
      s33.intoArray(lanes, 15 * L);
      sums16(lanes);
      for (int r = 0; r < 16; r++) {
        int ar = a0 + (r >> 2) * lda;
        int br = b0 + (r & 3) * ldb;
        float v = remainder(lanes[SUMS + r], a, ar, b, br, kv, k);
        put(alpha, beta, c, c0 + (r >> 2) * ldc + (r & 3), v);
      }
      return;
    }
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    put(alpha, beta, c, c0, tail(s00, a, a0, b, b0, kv, k, lanes));
    put(alpha, beta, c, c0 + 1, tail(s01, a, a0, b, b1, kv, k, lanes));
    put(alpha, beta, c, c0 + 2, tail(s02, a, a0, b, b2, kv, k, lanes));
    put(alpha, beta, c, c0 + 3, tail(s03, a, a0, b, b3, kv, k, lanes));
    put(alpha, beta, c, c1, tail(s10, a, a1, b, b0, kv, k, lanes));
    put(alpha, beta, c, c1 + 1, tail(s11, a, a1, b, b1, kv, k, lanes));
    put(alpha, beta, c, c1 + 2, tail(s12, a, a1, b, b2, kv, k, lanes));
    put(alpha, beta, c, c1 + 3, tail(s13, a, a1, b, b3, kv, k, lanes));
    put(alpha, beta, c, c2, tail(s20, a, a2, b, b0, kv, k, lanes));
    put(alpha, beta, c, c2 + 1, tail(s21, a, a2, b, b1, kv, k, lanes));
    put(alpha, beta, c, c2 + 2, tail(s22, a, a2, b, b2, kv, k, lanes));
    put(alpha, beta, c, c2 + 3, tail(s23, a, a2, b, b3, kv, k, lanes));
    put(alpha, beta, c, c3, tail(s30, a, a3, b, b0, kv, k, lanes));
    put(alpha, beta, c, c3 + 1, tail(s31, a, a3, b, b1, kv, k, lanes));
    put(alpha, beta, c, c3 + 2, tail(s32, a, a3, b, b2, kv, k, lanes));
    put(alpha, beta, c, c3 + 3, tail(s33, a, a3, b, b3, kv, k, lanes));
  }

  /**
   * Sums the lanes of the 16 vectors at {@code lanes[0, 256)}, each first to last like {@link
   * #sum}, into {@code lanes[SUMS + r]} for vector {@code r}. After a 16 x 16 transpose, row
   * {@code l} holds lane {@code l} of every vector, so adding the rows in order performs the 16
   * left-to-right sums side by side: the same floats as {@link #sum}, without 256 scalar reads of
   * freshly stored vectors, which stalled on store forwarding.
   */
  private static void sums16(float[] lanes) {
    Transposes.transpose16x16(lanes, 0, L, lanes, TRANSPOSED, L);
    FloatVector v = FloatVector.zero(SPECIES);
    for (int l = 0; l < L; l++) {
      v = v.add(FloatVector.fromArray(SPECIES, lanes, TRANSPOSED + l * L));
    }
    v.intoArray(lanes, SUMS);
  }

  private static void block1x4(int i, int j, int k, int kv, float[] lanes, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    int a0 = aOff + i * lda;
    int b0 = bOff + j * ldb;
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0, s2 = s0, s3 = s0;
    for (int p = 0; p < kv; p += L) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
      s0 = x.fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
      s1 = x.fma(FloatVector.fromArray(SPECIES, b, b1 + p), s1);
      s2 = x.fma(FloatVector.fromArray(SPECIES, b, b2 + p), s2);
      s3 = x.fma(FloatVector.fromArray(SPECIES, b, b3 + p), s3);
    }
    int c0 = cOff + i * ldc + j;
    put(alpha, beta, c, c0, tail(s0, a, a0, b, b0, kv, k, lanes));
    put(alpha, beta, c, c0 + 1, tail(s1, a, a0, b, b1, kv, k, lanes));
    put(alpha, beta, c, c0 + 2, tail(s2, a, a0, b, b2, kv, k, lanes));
    put(alpha, beta, c, c0 + 3, tail(s3, a, a0, b, b3, kv, k, lanes));
  }

  private static float tail(
      FloatVector s, float[] a, int ar, float[] b, int br, int kv, int k, float[] lanes) {
    return remainder(sum(s, lanes), a, ar, b, br, kv, k);
  }

  /** {@code v} plus the products past the last whole vector, {@code [kv, k)}, in order. */
  private static float remainder(float v, float[] a, int ar, float[] b, int br, int kv, int k) {
    for (int p = kv; p < k; p++) {
      v = Math.fma(a[ar + p], b[br + p], v);
    }
    return v;
  }

  /**
   * The lanes of {@code s} added first to last. Unlike {@code reduceLanes(ADD)}, whose order may
   * differ between interpreted and compiled code, this gives the same float in every phase of the
   * JIT, so results stay reproducible.
   */
  private static float sum(FloatVector s, float[] lanes) {
    s.intoArray(lanes, 0);
    float v = 0f;
    for (int l = 0; l < L; l++) {
      v += lanes[l];
    }
    return v;
  }

  private static void put(float alpha, float beta, float[] c, int ci, float v) {
    c[ci] = beta == 0f ? alpha * v : Math.fma(beta, c[ci], alpha * v);
  }
}
