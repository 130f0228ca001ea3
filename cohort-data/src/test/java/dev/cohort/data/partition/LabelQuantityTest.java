package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.Shape;
import org.junit.jupiter.api.Test;

class LabelQuantityTest {
  private static final Dataset DATA = Fixtures.balanced(600, 10);

  @Test
  void labelQuantity_eachClientHoldsExactlyKClasses() {
    for (int k = 1; k <= 10; k++) {
      Partition p = Partitioner.labelQuantity(k).partition(DATA, 20, k);
      Fixtures.assertExactCover(p); // 20 clients cover all 10 classes through i mod 10
      for (PartitionSummary.ClientStats s : p.summary().clients()) {
        assertThat(s.distinctLabels()).as("k=%d client %d", k, s.client()).isEqualTo(k);
      }
    }
  }

  @Test
  void labelQuantity_classSplitEvenlyAmongHolders() {
    Partition p = Partitioner.labelQuantity(2).partition(DATA, 10, 4);
    PartitionSummary s = p.summary();
    for (int c = 0; c < 10; c++) {
      final int cls = c;
      int[] shares = s.clients().stream().mapToInt(cs -> cs.labelCounts().get(cls)).filter(v -> v > 0).toArray();
      assertThat(shares).isNotEmpty();
      int min = java.util.Arrays.stream(shares).min().orElseThrow();
      int max = java.util.Arrays.stream(shares).max().orElseThrow();
      assertThat(max - min).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void labelQuantity_fewerClientsThanClasses_leavesUnheldClassesOut() {
    Partition p = Partitioner.labelQuantity(1).partition(DATA, 3, 0);
    assertThat(Fixtures.assertDisjoint(p)).isEqualTo(3 * 600);
    assertThat(p.unassigned()).isEqualTo(7 * 600);
    assertThat(p.summary().format()).contains("(4200 unassigned)");
  }

  @Test
  void labelQuantity_sameSeedSameResult_differentSeedDifferent() {
    Partitioner lq = Partitioner.labelQuantity(3);
    assertThat(lq.partition(DATA, 10, 1).indices()).isDeepEqualTo(lq.partition(DATA, 10, 1).indices());
    assertThat(lq.partition(DATA, 10, 1).indices()).isNotEqualTo(lq.partition(DATA, 10, 2).indices());
  }

  @Test
  void labelQuantity_kOutOfRange_rejected() {
    assertThatThrownBy(() -> Partitioner.labelQuantity(0)).hasMessage("label-quantity k must be >= 1 but was 0");
    assertThatThrownBy(() -> Partitioner.labelQuantity(11).partition(DATA, 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label-quantity k must be in [1, numClasses=10] but was 11");
  }

  @Test
  void labelQuantity_clientLeftEmpty_rejectedWithAdvice() {
    // clients 0 and 2 both hold class 0, which has a single example
    Dataset tiny = Dataset.classification("tiny", Shape.of(1), new float[6], new int[] {0, 1, 1, 1, 1, 1}, 2);
    assertThatThrownBy(() -> Partitioner.labelQuantity(1).partition(tiny, 4, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no examples").hasMessageContaining("use fewer clients");
  }
}
