package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KernelsTest {
  @AfterEach
  void restoreThreads() {
    Kernels.setIntraOpThreads(1);
  }

  // ---- selection ----

  @Test
  void select_java_isVectorGemm() {
    assertThat(Kernels.select("java")).isInstanceOf(VectorGemm.class);
    assertThat(Kernels.select(" JAVA ")).isInstanceOf(VectorGemm.class);
  }

  @Test
  void select_reference_isReferenceGemm() {
    assertThat(Kernels.select("reference")).isInstanceOf(ReferenceGemm.class);
  }

  @Test
  void select_auto_prefersVectorGemmOn512BitCpusElseOpenBlasWhenItLoads() {
    Gemm auto = Kernels.select("auto");
    if (VectorGemm.vectorBits() < 512 && OpenBlasGemm.load().isPresent()) {
      assertThat(auto).isInstanceOf(OpenBlasGemm.class);
    } else {
      assertThat(auto).isInstanceOf(VectorGemm.class);
    }
    assertThat(Kernels.select(null).getClass()).isEqualTo(auto.getClass());
  }

  @Test
  void select_openblas_failsClearlyWhenMissing() {
    if (OpenBlasGemm.load().isPresent()) {
      assertThat(Kernels.select("openblas")).isInstanceOf(OpenBlasGemm.class);
    } else {
      assertThatThrownBy(() -> Kernels.select("openblas"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cohort.blas=openblas but OpenBLAS did not load")
          .hasMessageContaining("-Dcohort.blas=java");
    }
  }

  @Test
  void select_unknownValue_isRejectedNamingIt() {
    assertThatThrownBy(() -> Kernels.select("mkl"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cohort.blas must be auto, java, openblas or reference but was 'mkl'");
  }

  @Test
  void gemm_isStable() {
    assertThat(Kernels.gemm()).isSameAs(Kernels.gemm());
  }

  // ---- description ----

  @Test
  void describe_namesKernelAndDetail() {
    assertThat(Kernels.describe(new VectorGemm()))
        .isEqualTo("java-vector (" + VectorGemm.vectorBits() + "-bit)");
    assertThat(Kernels.describe(new ReferenceGemm())).isEqualTo("reference");
    OpenBlasGemm.load().ifPresent(openBlas ->
        assertThat(Kernels.describe(openBlas)).startsWith("openblas (").contains("libopenblas"));
    assertThat(Kernels.describe()).isEqualTo(Kernels.describe(Kernels.gemm()));
  }

  // ---- intra-op threads ----

  @Test
  void intraOpThreads_defaultsToOneAndCanBeChanged() {
    assertThat(Kernels.intraOpThreads()).isEqualTo(1);
    Kernels.setIntraOpThreads(2);
    assertThat(Kernels.intraOpThreads()).isEqualTo(2);
  }

  @Test
  void setIntraOpThreads_outOfRange_isRejected() {
    assertThatThrownBy(() -> Kernels.setIntraOpThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be in [1, 256] but was 0");
  }

  @Test
  void parallelFor_runsEveryPartOnce_withAndWithoutWorkers() {
    for (int threads : new int[] {1, 2, 3}) {
      Kernels.setIntraOpThreads(threads);
      java.util.concurrent.atomic.AtomicIntegerArray seen =
          new java.util.concurrent.atomic.AtomicIntegerArray(5);
      Kernels.parallelFor(5, seen::incrementAndGet);
      for (int p = 0; p < 5; p++) {
        assertThat(seen.get(p)).as("threads %d part %d", threads, p).isEqualTo(1);
      }
    }
    assertThatThrownBy(() -> Kernels.parallelFor(0, p -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parts");
  }
}
