package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.data.Dataset;
import org.junit.jupiter.api.Test;

class ShardsTest {
  @Test
  void shards_mcMahanSetup_twoClassesAtMostPerClient() {
    Partition p = Partitioner.shards(2).partition(Fixtures.balanced(6000, 10), 100, 17);
    Fixtures.assertExactCover(p);
    PartitionSummary s = p.summary();
    for (PartitionSummary.ClientStats c : s.clients()) {
      assertThat(c.examples()).isEqualTo(600); // two shards of 300
      assertThat(c.distinctLabels()).isBetween(1, 2);
    }
    assertThat(s.stats().labelSkew()).isGreaterThan(0.75);
  }

  @Test
  void shards_unevenSizes_coverEverything() {
    Partition p = Partitioner.shards(3).partition(Fixtures.balanced(97, 3), 7, 2);
    Fixtures.assertExactCover(p);
    for (int c = 0; c < 7; c++) {
      assertThat(p.size(c)).isBetween(3 * 13, 3 * 14);
    }
  }

  @Test
  void shards_sameSeedSameResult_differentSeedDifferent() {
    Dataset d = Fixtures.balanced(100, 10);
    Partitioner s = Partitioner.shards(2);
    assertThat(s.partition(d, 10, 1).indices()).isDeepEqualTo(s.partition(d, 10, 1).indices());
    assertThat(s.partition(d, 10, 1).indices()).isNotEqualTo(s.partition(d, 10, 2).indices());
  }

  @Test
  void shards_moreShardsThanExamples_rejected() {
    assertThatThrownBy(() -> Partitioner.shards(4).partition(Fixtures.balanced(5, 2), 3, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 12 shards but the dataset has only 10 examples");
  }

  @Test
  void shards_badCount_rejected() {
    assertThatThrownBy(() -> Partitioner.shards(0)).hasMessage("shards shards-per-client must be >= 1 but was 0");
  }
}
