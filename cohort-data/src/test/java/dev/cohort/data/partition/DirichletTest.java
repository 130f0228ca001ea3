package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirichletTest {
  private static final Dataset DATA = Fixtures.balanced(1000, 10);

  private static double skew(double alpha, long seed) {
    return Partitioner.dirichlet(alpha).partition(DATA, 10, seed).summary().stats().labelSkew();
  }

  /* --- skew --- */

  @Test
  void dirichlet_smallAlpha_skewsLabels() {
    double small = skew(0.1, 1);
    double medium = skew(1, 1);
    double large = skew(100, 1);
    assertThat(small).isGreaterThan(0.5);
    assertThat(large).isLessThan(0.1);
    assertThat(small).isGreaterThan(medium);
    assertThat(medium).isGreaterThan(large);
  }

  @Test
  void dirichlet_smallAlpha_fewDominantClassesPerClient() {
    PartitionSummary s = Partitioner.dirichlet(0.1).partition(DATA, 10, 3).summary();
    for (PartitionSummary.ClientStats c : s.clients()) {
      int max = c.labelCounts().stream().mapToInt(Integer::intValue).max().orElseThrow();
      assertThat((double) max / c.examples()).as("client %d's largest class share", c.client()).isGreaterThan(0.25);
    }
  }

  /* --- invariants --- */

  @Test
  void dirichlet_everyIndexOnce_andMinSizeHeld() {
    Partition p = Partitioner.dirichlet(0.1, 50).partition(DATA, 20, 11);
    Fixtures.assertExactCover(p);
    assertThat(p.summary().stats().minExamples()).isGreaterThanOrEqualTo(50);
  }

  @Test
  void dirichlet_hundredClientsOnFashionMnistSize_meetsMinSize() {
    Partition p = Partitioner.dirichlet(0.1).partition(Fixtures.balanced(6000, 10), 100, 2024);
    Fixtures.assertExactCover(p);
    assertThat(p.summary().stats().minExamples()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void dirichlet_sameSeedSameResult_differentSeedDifferent() {
    Partitioner d = Partitioner.dirichlet(0.5);
    assertThat(d.partition(DATA, 8, 5).indices()).isDeepEqualTo(d.partition(DATA, 8, 5).indices());
    assertThat(d.partition(DATA, 8, 5).indices()).isNotEqualTo(d.partition(DATA, 8, 6).indices());
  }

  /* --- validation --- */

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void dirichlet_badAlpha_rejected(double alpha) {
    assertThatThrownBy(() -> Partitioner.dirichlet(alpha))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dirichlet alpha must be finite and > 0 but was " + alpha);
  }

  @Test
  void dirichlet_badMinSize_rejected() {
    assertThatThrownBy(() -> Partitioner.dirichlet(1, 0)).hasMessage("dirichlet min-size must be >= 1 but was 0");
  }

  @Test
  void dirichlet_tooFewExamplesForMinSize_rejected() {
    assertThatThrownBy(() -> Partitioner.dirichlet(1).partition(Fixtures.balanced(5, 10), 6, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs at least 6 x 10 = 60 examples for 6 clients but the dataset has 50");
  }

  @Test
  void dirichlet_unreachableMinSize_givesUpWithAdvice() {
    // 1000 clients with at least 9 of 10000 examples each, and all but one share of each class near 0
    assertThatThrownBy(() -> Partitioner.dirichlet(0.001, 9).partition(Fixtures.balanced(1000, 10), 1000, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in all " + Dirichlet.MAX_ATTEMPTS + " draws")
        .hasMessageContaining("raise alpha");
  }

  @Test
  void dirichlet_regressionDataset_rejected() {
    assertThatThrownBy(() -> Partitioner.dirichlet(1).partition(Fixtures.regression(100), 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dirichlet(alpha=1.0, min-size=10) needs class labels but reg is a regression dataset;"
            + " use iid or quantity-skew");
  }
}
