package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionTest {
  private final Dataset data = Fixtures.balanced(10, 3);
  private final Partition partition = Partitioner.iid().partition(data, 12, 5);

  @Test
  void client_isNamedViewOfItsIndices() {
    Dataset c = partition.client(3);
    assertThat(c.name()).isEqualTo("synthetic/client-03");
    int[] idx = partition.indices(3);
    assertThat(c.size()).isEqualTo(idx.length);
    for (int i = 0; i < idx.length; i++) {
      assertThat(c.label(i)).isEqualTo(data.label(idx[i]));
    }
  }

  @Test
  void indices_ascendingAndCopied() {
    int[] idx = partition.indices(0);
    assertThat(idx).isSorted();
    idx[0] = -1;
    assertThat(partition.indices(0)[0]).isNotNegative();
    int[][] all = partition.indices();
    all[1][0] = -1;
    assertThat(partition.indices(1)[0]).isNotNegative();
  }

  @Test
  void clients_oneViewPerClient() {
    List<Dataset> clients = partition.clients();
    assertThat(clients).hasSize(12);
    assertThat(clients.stream().mapToInt(Dataset::size).sum()).isEqualTo(30);
  }

  @Test
  void provenance_partitionerAndSeedKept() {
    assertThat(partition.partitioner()).isEqualTo(Partitioner.iid());
    assertThat(partition.seed()).isEqualTo(5);
    assertThat(partition.dataset()).isSameAs(data);
    assertThat(partition).hasToString("Partition[synthetic, iid, seed 5, 12 clients]");
  }

  @Test
  void client_outOfRange_rejected() {
    assertThatThrownBy(() -> partition.client(12)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
