package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link Gemm} contract against OpenBLAS. Skipped, with the reason, when {@code
 * libopenblas.so.0} is not installed (apt-get install libopenblas0-pthread).
 */
class OpenBlasGemmTest extends GemmContractTest {
  @BeforeAll
  static void requireLibrary() {
    Assumptions.assumeTrue(
        OpenBlasGemm.load().isPresent(),
        () -> "OpenBLAS not available, skipping: " + OpenBlasGemm.loadFailure());
  }

  @Override
  Gemm gemm() {
    return OpenBlasGemm.load().orElseThrow();
  }

  @Test
  void load_reportsLibraryAndConfig() {
    OpenBlasGemm openBlas = OpenBlasGemm.load().orElseThrow();
    assertThat(openBlas.name()).isEqualTo("openblas");
    assertThat(openBlas.library()).contains("openblas");
    assertThat(OpenBlasGemm.loadFailure()).isEmpty();
    assertThat(OpenBlasGemm.ifLoaded()).containsSame(openBlas);
  }

  @Test
  void load_isMemoized() {
    assertThat(OpenBlasGemm.load().orElseThrow()).isSameAs(OpenBlasGemm.load().orElseThrow());
  }
}
