package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VectorGemmTest extends GemmContractTest {
  private final VectorGemm gemm = new VectorGemm();

  @Override
  Gemm gemm() {
    return gemm;
  }

  @AfterEach
  void restoreThreads() {
    Kernels.setIntraOpThreads(1);
  }

  @Test
  void name_isJavaVector() {
    assertThat(gemm.name()).isEqualTo("java-vector");
    assertThat(VectorGemm.vectorBits()).isPositive();
  }

  @Test
  void sgemm_withTwoIntraOpThreads_matchesReference() {
    Kernels.setIntraOpThreads(2);
    SplittableRandom random = new SplittableRandom(51L);
    // Above PARALLEL_THRESHOLD: rows are split (m >= n), then columns (n > m).
    check(random, false, true, 300, 210, 140, 1f, 0f, 1, 3, 2, false);
    check(random, true, false, 150, 330, 180, 0.5f, 1f, 0, 1, 0, false);
    check(random, true, true, 97, 401, 230, 1f, 0.25f, 2, 0, 1, false);
  }

  @Test
  void sgemm_fewRowsTransposedB_dotProductPath_matchesReference() {
    SplittableRandom random = new SplittableRandom(71L);
    int[][] shapes = {{1, 1, 64}, {10, 512, 3136}, {3, 7, 100}, {16, 9, 64}, {5, 13, 257},
        {4, 4, 80}, {15, 33, 129}};
    float[] betas = {0f, 1f, -0.5f};
    for (int[] s : shapes) {
      for (float beta : betas) {
        check(random, false, true, s[0], s[1], s[2], 0.75f, beta, 3, 5, 2, false);
      }
    }
    check(random, false, true, 12, 30, 96, 1f, 0f, 0, 0, 0, true);
  }

  @Test
  void sgemm_narrowTransposedBWithLongDepth_dotProductPath_matchesReference() {
    SplittableRandom random = new SplittableRandom(73L);
    // Fewer columns than a panel and k >= DOT_LONG_DEPTH: dots whatever the number of rows.
    int[][] shapes = {{32, 25, 7840}, {40, 31, 1024}, {17, 3, 1500}};
    for (int[] s : shapes) {
      check(random, false, true, s[0], s[1], s[2], 0.75f, 1f, 3, 5, 2, false);
    }
  }

  @Test
  void sgemm_fewRowsTransposedB_sameResultWithOneAndTwoThreads() {
    // The CNN's dense layer at batch 10: dot products, their columns split over the threads.
    assertSameWithTwoThreads(new SplittableRandom(72L), false, true, 10, 514, 3136);
  }

  @Test
  void sgemm_upToOnePanelOfRowsTransposedB_thinPath_matchesReference() {
    SplittableRandom random = new SplittableRandom(74L);
    // m in (DOT_FEW_ROWS, THIN_MAX_ROWS], n >= NR: C^T = B A^T with B read in place. Row counts
    // of B (n) that are not multiples of 8 take the packed remainder; k > 4096 takes two blocks.
    int[][] shapes = {{32, 200, 784}, {17, 40, 64}, {10, 200, 200}, {5, 35, 300}, {24, 64, 4500},
        {16, 32, 65}, {31, 77, 129}};
    float[] betas = {0f, 1f, -0.5f};
    for (int[] s : shapes) {
      for (float beta : betas) {
        check(random, false, true, s[0], s[1], s[2], 0.75f, beta, 3, 5, 2, false);
      }
    }
    check(random, false, true, 20, 48, 96, 1f, 0f, 0, 0, 0, true);
  }

  @Test
  void sgemm_shortDepth_shallowPath_matchesReference() {
    SplittableRandom random = new SplittableRandom(75L);
    // k <= SHALLOW_MAX_DEPTH with more than 16 rows of C, or B transposed: both operands packed
    // whole, C walked in row strips. A dense layer's weight gradient is TN with beta 1.
    int[][] shapes = {{200, 784, 32}, {33, 70, 64}, {130, 47, 9}, {17, 300, 1}};
    for (int[] s : shapes) {
      for (int t = 0; t < 4; t++) {
        check(random, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], -0.05f, 1f, 1, 3, 2, false);
      }
    }
  }

  @Test
  void sgemm_thinAndShallowPaths_sameResultWithOneAndTwoThreads() {
    SplittableRandom random = new SplittableRandom(76L);
    // The 2NN at batch 32: forward (thin, split over B's rows) and weight gradient (shallow,
    // split over C's columns), both above PARALLEL_THRESHOLD.
    assertSameWithTwoThreads(random, false, true, 32, 200, 784);
    assertSameWithTwoThreads(random, true, false, 200, 784, 32);
    assertSameWithTwoThreads(random, false, false, 784, 200, 32);
  }

  private void assertSameWithTwoThreads(
      SplittableRandom random, boolean transA, boolean transB, int m, int n, int k) {
    assertThat((long) m * n * k).isGreaterThanOrEqualTo(VectorGemm.PARALLEL_THRESHOLD);
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextDouble(-1, 1);
    }
    float[] one = new float[m * n];
    float[] two = new float[m * n];
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    Kernels.setIntraOpThreads(1);
    gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, one, 0, n);
    Kernels.setIntraOpThreads(2);
    gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, two, 0, n);
    assertThat(two).as("%s%s %dx%dx%d", transA ? "T" : "N", transB ? "T" : "N", m, n, k)
        .containsExactly(one);
  }

  @Test
  void sgemm_concurrentCallers_getIndependentResults() throws InterruptedException {
    Thread[] threads = new Thread[4];
    AssertionError[] failures = new AssertionError[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int index = t;
      threads[t] = Thread.ofPlatform().start(() -> {
        try {
          SplittableRandom random = new SplittableRandom(60L + index);
          for (int i = 0; i < 5; i++) {
            check(random, index % 2 == 0, index / 2 == 1, 40 + index, 50, 300, 1f, 0f, 0, 0, 0, false);
          }
        } catch (AssertionError e) {
          failures[index] = e;
        }
      });
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).containsOnlyNulls();
  }
}
