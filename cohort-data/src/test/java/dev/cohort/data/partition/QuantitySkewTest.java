package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.data.Dataset;
import org.junit.jupiter.api.Test;

class QuantitySkewTest {
  private static final Dataset DATA = Fixtures.balanced(6000, 10);

  private static double sizeSpread(double alpha) {
    PartitionSummary.Stats s = Partitioner.quantitySkew(alpha).partition(DATA, 10, 9).summary().stats();
    return (double) s.maxExamples() / s.minExamples();
  }

  @Test
  void quantitySkew_smallAlpha_unequalSizes_largeAlpha_nearEqual() {
    assertThat(sizeSpread(0.5)).isGreaterThan(5);
    assertThat(sizeSpread(1000)).isLessThan(1.3);
  }

  @Test
  void quantitySkew_labelsStayIid() {
    Partition p = Partitioner.quantitySkew(0.5).partition(DATA, 10, 9);
    Fixtures.assertExactCover(p);
    for (PartitionSummary.ClientStats c : p.summary().clients()) {
      if (c.examples() >= 2000) {
        for (int count : c.labelCounts()) {
          assertThat((double) count / c.examples()).isBetween(0.07, 0.13);
        }
      }
    }
    assertThat(p.summary().stats().labelSkew())
        .isLessThan(Partitioner.dirichlet(0.5).partition(DATA, 10, 9).summary().stats().labelSkew());
  }

  @Test
  void quantitySkew_hundredClients_meetsMinSize() {
    Partition p = Partitioner.quantitySkew(0.5).partition(DATA, 100, 1);
    Fixtures.assertExactCover(p);
    assertThat(p.summary().stats().minExamples()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void quantitySkew_regressionDataset_accepted() {
    Fixtures.assertExactCover(Partitioner.quantitySkew(1).partition(Fixtures.regression(500), 5, 3));
  }

  @Test
  void quantitySkew_sameSeedSameResult_differentSeedDifferent() {
    Partitioner q = Partitioner.quantitySkew(1);
    assertThat(q.partition(DATA, 5, 1).indices()).isDeepEqualTo(q.partition(DATA, 5, 1).indices());
    assertThat(q.partition(DATA, 5, 1).indices()).isNotEqualTo(q.partition(DATA, 5, 2).indices());
  }

  @Test
  void quantitySkew_badParameters_rejected() {
    assertThatThrownBy(() -> Partitioner.quantitySkew(-0.5))
        .hasMessage("quantity-skew alpha must be finite and > 0 but was -0.5");
    assertThatThrownBy(() -> Partitioner.quantitySkew(1, -1))
        .hasMessage("quantity-skew min-size must be >= 1 but was -1");
    assertThatThrownBy(() -> Partitioner.quantitySkew(1).partition(Fixtures.regression(30), 4, 0))
        .hasMessageContaining("needs at least 4 x 10 = 40 examples");
  }
}
