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
    SplittableRandom random = new SplittableRandom(72L);
    int m = 10;
    int n = 514;
    int k = 3136;
    float[] a = new float[m * k];
    float[] b = new float[n * k];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextDouble(-1, 1);
    }
    float[] one = new float[m * n];
    float[] two = new float[m * n];
    gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, one, 0, n);
    Kernels.setIntraOpThreads(2);
    gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, two, 0, n);
    assertThat(two).containsExactly(one);
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
