package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionSummaryTest {
  @Test
  void summary_countsAndHistogramsMatchThePartition() {
    Dataset d = Fixtures.balanced(50, 4);
    Partition p = Partitioner.dirichlet(1, 5).partition(d, 6, 3);
    PartitionSummary s = p.summary();
    assertThat(s.dataset()).isEqualTo("synthetic");
    assertThat(s.partitioner()).isEqualTo("dirichlet(alpha=1.0, min-size=5)");
    assertThat(s.seed()).isEqualTo(3);
    assertThat(s.numClasses()).isEqualTo(4);
    assertThat(s.globalLabelCounts()).containsExactly(50, 50, 50, 50);
    for (int c = 0; c < 6; c++) {
      PartitionSummary.ClientStats cs = s.clients().get(c);
      int[] hist = p.client(c).labelHistogram();
      assertThat(cs.client()).isEqualTo(c);
      assertThat(cs.examples()).isEqualTo(p.size(c));
      assertThat(cs.labelCounts()).containsExactly(hist[0], hist[1], hist[2], hist[3]);
      assertThat(cs.distinctLabels()).isEqualTo((int) java.util.Arrays.stream(hist).filter(v -> v > 0).count());
    }
  }

  @Test
  void stats_minMedianMaxAndSkew() {
    PartitionSummary s = new PartitionSummary("d", "p", 0, 2, 0, List.of(10, 10), List.of(
        new PartitionSummary.ClientStats(0, 4, 1, List.of(4, 0)),
        new PartitionSummary.ClientStats(1, 6, 2, List.of(3, 3)),
        new PartitionSummary.ClientStats(2, 10, 2, List.of(3, 7)),
        new PartitionSummary.ClientStats(3, 0, 0, List.of(0, 0))));
    PartitionSummary.Stats st = s.stats();
    assertThat(st.clients()).isEqualTo(4);
    assertThat(st.totalExamples()).isEqualTo(20);
    assertThat(st.minExamples()).isZero();
    assertThat(st.medianExamples()).isEqualTo(5.0);
    assertThat(st.maxExamples()).isEqualTo(10);
    assertThat(st.meanDistinctLabels()).isEqualTo(1.25);
    // TV distances to (0.5, 0.5): 0.5, 0, 0.2, and 0 for the empty client
    assertThat(st.labelSkew()).isCloseTo(0.7 / 4, within(1e-12));
  }

  @Test
  void format_fewClients_everyRow() {
    String text = Partitioner.shards(1).partition(Fixtures.balanced(3, 2), 3, 0).summary().format();
    assertThat(text).isEqualTo("""
        synthetic: shards(shards-per-client=1), seed 0, 3 clients, 6 examples
        client  examples  labels  per-class counts 0..1
             0         2       1  [0 2]
             1         2       1  [2 0]
             2         2       2  [1 1]
        examples per client: min 2, median 2, max 2; distinct labels per client: mean 1.33; \
        label skew 0.333 (mean TV distance to the dataset's label distribution)
        """);
  }

  @Test
  void format_hundredClients_compact() {
    PartitionSummary s = Partitioner.dirichlet(0.5).partition(Fixtures.balanced(6000, 10), 100, 1).summary();
    String text = s.format();
    List<String> lines = text.lines().toList();
    assertThat(lines).hasSize(1 + 1 + 5 + 1 + 5 + 1);
    assertThat(lines.get(0)).isEqualTo("synthetic: dirichlet(alpha=0.5, min-size=10), seed 1, 100 clients, 60000 examples");
    assertThat(lines.get(2)).startsWith("     0  ");
    assertThat(lines.get(6)).startsWith("     4  ");
    assertThat(lines.get(7)).isEqualTo("   ... 90 more clients");
    assertThat(lines.get(8)).startsWith("    95  ");
    assertThat(lines.get(12)).startsWith("    99  ");
    assertThat(lines.get(13)).startsWith("examples per client: min ").contains("label skew");
    assertThat(s.format(0).lines()).contains("   ... 100 more clients");
    assertThat(s.format(1000).lines()).hasSize(103);
  }

  @Test
  void format_manyClasses_showsLargestClasses() {
    int n = 300;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 30;
    }
    Dataset d = Dataset.classification("c30", Shape.of(1), new float[n], labels, 30);
    String text = Partitioner.labelQuantity(2).partition(d, 2, 0).summary().format();
    assertThat(text).contains("largest classes (class:count)").containsPattern("\\d+:\\d+ \\d+:\\d+");
  }

  @Test
  void format_regression_noLabelColumns() {
    String text = Partitioner.iid().partition(Fixtures.regression(10), 2, 0).summary().format();
    assertThat(text).isEqualTo("""
        reg: iid, seed 0, 2 clients, 10 examples
        client  examples
             0         5
             1         5
        examples per client: min 5, median 5, max 5
        """);
  }
}
