package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checks every {@link Gemm} passes: it must agree with {@link ReferenceGemm} over all four
 * transpose combinations, odd sizes, offsets, padded leading dimensions and alpha/beta variants,
 * and must not touch C outside its {@code m x n} window.
 */
abstract class GemmContractTest {
  private static final float SENTINEL = -12345f;
  private static final float[] ALPHAS = {1f, -0.5f, 2.5f};
  private static final float[] BETAS = {0f, 1f, 0.75f, -2f};

  /** The implementation under test. */
  abstract Gemm gemm();

  // ---- transpose combinations over random odd shapes ----

  @Test
  void sgemm_notTransposed_matchesReference() {
    randomShapes(false, false, 11L);
  }

  @Test
  void sgemm_transposedA_matchesReference() {
    randomShapes(true, false, 12L);
  }

  @Test
  void sgemm_transposedB_matchesReference() {
    randomShapes(false, true, 13L);
  }

  @Test
  void sgemm_transposedBoth_matchesReference() {
    randomShapes(true, true, 14L);
  }

  // ---- sizes that cross block and panel boundaries ----

  @Test
  void sgemm_shapesAcrossBlockBoundaries_matchReference() {
    SplittableRandom random = new SplittableRandom(21L);
    int[][] shapes = {
      {1, 1, 1}, {8, 32, 16}, {9, 33, 17}, {16, 48, 300}, {130, 70, 600}, {3, 2100, 5},
      {257, 31, 20}, {10, 200, 513}, {5, 16, 16}, {12, 17, 40}, {40, 64, 64}
    };
    for (int[] s : shapes) {
      for (int t = 0; t < 4; t++) {
        check(random, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.5f, 0.5f, 0, 0, 0, false);
      }
    }
  }

  @Test
  void sgemm_neuralNetworkShapes_matchReference() {
    SplittableRandom random = new SplittableRandom(22L);
    check(random, false, false, 32, 200, 784, 1f, 0f, 0, 0, 0, false);
    check(random, true, false, 784, 200, 32, 1f, 0f, 0, 0, 0, false);
    check(random, false, true, 32, 784, 200, 1f, 0f, 0, 0, 0, false);
    check(random, false, true, 98, 64, 800, 1f, 0f, 0, 0, 0, false);
    check(random, true, false, 64, 800, 98, 1f, 1f, 0, 0, 0, false);
  }

  // ---- alpha and beta ----

  @Test
  void sgemm_betaZero_ignoresNaNInC() {
    SplittableRandom random = new SplittableRandom(31L);
    for (int t = 0; t < 4; t++) {
      check(random, (t & 1) != 0, (t & 2) != 0, 37, 45, 29, 1f, 0f, 3, 2, 5, true);
      check(random, (t & 1) != 0, (t & 2) != 0, 2, 3, 4, 2f, 0f, 0, 0, 0, true);
    }
  }

  @Test
  void sgemm_alphaZero_onlyScalesC() {
    float[] a = {Float.NaN, 1f};
    float[] b = {2f, 3f};
    float[] c = {4f, 5f, 6f, 7f};
    gemm().sgemm(false, false, 2, 2, 1, 0f, a, 0, 1, b, 0, 2, 0.5f, c, 0, 2);
    assertThat(c).containsExactly(2f, 2.5f, 3f, 3.5f);
  }

  @Test
  void sgemm_leavesCOutsideWindowUntouched() {
    SplittableRandom random = new SplittableRandom(41L);
    for (int t = 0; t < 4; t++) {
      check(random, (t & 1) != 0, (t & 2) != 0, 19, 35, 23, 1f, 1f, 4, 6, 9, false);
    }
  }

  // ---- argument validation ----

  @Test
  void sgemm_nonPositiveSize_isRejectedNamingIt() {
    float[] x = new float[16];
    assertThatThrownBy(() -> gemm().sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("m must be > 0 but was -1");
    assertThatThrownBy(() -> gemm().sgemm(false, false, 2, 2, 0, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be > 0 but was 0");
  }

  @Test
  void sgemm_leadingDimensionTooSmall_isRejected() {
    float[] x = new float[64];
    assertThatThrownBy(() -> gemm().sgemm(true, false, 4, 2, 3, 1f, x, 0, 3, x, 0, 2, 0f, x, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lda must be >= 4");
  }

  @Test
  void sgemm_operandBeyondArray_isRejected() {
    float[] small = new float[5];
    float[] x = new float[64];
    assertThatThrownBy(() -> gemm().sgemm(false, false, 2, 2, 3, 1f, small, 0, 3, x, 0, 2, 0f, x, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a needs 6 elements");
    assertThatThrownBy(() -> gemm().sgemm(false, false, 2, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 61, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("c needs 65 elements");
  }

  // ---- helpers ----

  private void randomShapes(boolean transA, boolean transB, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int trial = 0; trial < 60; trial++) {
      int m = 1 + random.nextInt(70);
      int n = 1 + random.nextInt(70);
      int k = 1 + random.nextInt(70);
      float alpha = ALPHAS[random.nextInt(ALPHAS.length)];
      float beta = BETAS[random.nextInt(BETAS.length)];
      check(random, transA, transB, m, n, k, alpha, beta,
          random.nextInt(8), random.nextInt(8), random.nextInt(8), false);
    }
  }

  /**
   * Runs one call with offsets, leading dimensions padded by {@code pad}, and C filled around its
   * window with a sentinel, then compares with the reference within the standard bound
   * {@code k * eps * (|alpha| |A||B| + |beta| |C|)}.
   */
  void check(
      SplittableRandom random, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float beta, int off, int pad, int cPad, boolean nanInC) {
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    int lda = aCols + pad;
    int ldb = bCols + pad;
    int ldc = n + cPad;
    float[] a = randomArray(random, off + aRows * lda);
    float[] b = randomArray(random, off + 1 + bRows * ldb);
    float[] c = new float[off + 2 + m * ldc];
    Arrays.fill(c, SENTINEL);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[off + 1 + i * ldc + j] = nanInC ? Float.NaN : (float) random.nextDouble(-1, 1);
      }
    }
    float[] expected = c.clone();
    new ReferenceGemm().sgemm(transA, transB, m, n, k, alpha, a, off, lda, b, off + 1, ldb,
        beta, expected, off + 1, ldc);
    float[] bound = new float[c.length];
    for (int i = 0; i < c.length; i++) {
      bound[i] = Float.isNaN(c[i]) ? 0f : Math.abs(c[i]);
    }
    new ReferenceGemm().sgemm(transA, transB, m, n, k, Math.abs(alpha), abs(a), off, lda,
        abs(b), off + 1, ldb, Math.abs(beta), bound, off + 1, ldc);

    gemm().sgemm(transA, transB, m, n, k, alpha, a, off, lda, b, off + 1, ldb, beta, c, off + 1, ldc);

    String where = "%s transA=%s transB=%s m=%d n=%d k=%d alpha=%s beta=%s off=%d pad=%d"
        .formatted(gemm().name(), transA, transB, m, n, k, alpha, beta, off, pad);
    for (int i = 0; i < c.length; i++) {
      int inWindow = i - (off + 1);
      boolean inside = inWindow >= 0 && inWindow < m * ldc && inWindow % ldc < n;
      if (!inside) {
        if (c[i] != SENTINEL) {
          fail("%s wrote outside C at %d: %s", where, i, c[i]);
        }
        continue;
      }
      double tolerance = 1e-6 + 2.0 * (k + 2) * Math.ulp(1f) * bound[i];
      if (!(Math.abs(c[i] - expected[i]) <= tolerance)) {
        fail("%s C[%d][%d] = %s but expected %s (tolerance %s)",
            where, inWindow / ldc, inWindow % ldc, c[i], expected[i], tolerance);
      }
    }
  }

  private static float[] randomArray(SplittableRandom random, int length) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return x;
  }

  private static float[] abs(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.abs(x[i]);
    }
    return y;
  }
}
