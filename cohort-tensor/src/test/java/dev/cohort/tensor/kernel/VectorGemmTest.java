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
