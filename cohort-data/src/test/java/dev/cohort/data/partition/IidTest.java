package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.data.Dataset;
import org.junit.jupiter.api.Test;

class IidTest {
  @Test
  void iid_everyIndexOnce_sizesDifferByAtMostOne() {
    Partition p = Partitioner.iid().partition(Fixtures.balanced(101, 7), 10, 1);
    Fixtures.assertExactCover(p);
    for (int c = 0; c < 10; c++) {
      assertThat(p.size(c)).isBetween(70, 71);
    }
  }

  @Test
  void iid_labelHistogramsNearUniform() {
    Partition p = Partitioner.iid().partition(Fixtures.balanced(6000, 10), 10, 42);
    for (PartitionSummary.ClientStats s : p.summary().clients()) {
      // 600 expected per class, standard deviation about 23
      assertThat(s.labelCounts()).allSatisfy(count -> assertThat(count).isBetween(500, 700));
    }
    assertThat(p.summary().stats().labelSkew()).isLessThan(0.05);
    assertThat(p.summary().stats().meanDistinctLabels()).isEqualTo(10);
  }

  @Test
  void iid_sameSeedSameResult_differentSeedDifferent() {
    Dataset d = Fixtures.balanced(100, 10);
    assertThat(Partitioner.iid().partition(d, 5, 7).indices())
        .isDeepEqualTo(Partitioner.iid().partition(d, 5, 7).indices());
    assertThat(Partitioner.iid().partition(d, 5, 7).indices())
        .isNotEqualTo(Partitioner.iid().partition(d, 5, 8).indices());
  }

  @Test
  void iid_regressionDataset_accepted() {
    Partition p = Partitioner.iid().partition(Fixtures.regression(50), 3, 0);
    Fixtures.assertExactCover(p);
  }

  @Test
  void iid_oneClientPerExample() {
    Partition p = Partitioner.iid().partition(Fixtures.balanced(3, 2), 6, 0);
    for (int c = 0; c < 6; c++) {
      assertThat(p.size(c)).isEqualTo(1);
    }
  }
}
