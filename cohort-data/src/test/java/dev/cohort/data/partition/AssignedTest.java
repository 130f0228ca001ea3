package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.data.Dataset;
import dev.cohort.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssignedTest {
  @TempDir Path dir;

  private final Dataset data = Fixtures.balanced(5, 2); // 10 examples

  @Test
  void partitionFile_commasSpacesAndComments_giveTheListedIndicesSorted() throws IOException {
    Path file = dir.resolve("split.txt");
    Files.writeString(file, "# two clients\n7, 1,3\n\n  0 2\t9  \n");
    Partitioner p = Partitioner.fromFile(file);
    Partition split = p.partition(data, 2, 123);
    assertThat(split.indices(0)).containsExactly(1, 3, 7);
    assertThat(split.indices(1)).containsExactly(0, 2, 9);
    assertThat(split.unassigned()).isEqualTo(4);
    assertThat(p.describe()).isEqualTo("file(file=split.txt)");
    assertThat(Partitioner.fromFile(file).partition(data, 2, 99).indices()).isDeepEqualTo(split.indices());
  }

  @Test
  void assigned_indexOutsideTheDataset_namesClientAndIndex() {
    Assigned p = new Assigned("s.txt", new int[][] {{0, 1}, {2, 10}});
    assertThatThrownBy(() -> p.partition(data, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s.txt gives client 1 example 10, outside [0, 10)");
  }

  @Test
  void assigned_exampleListedTwice_namesBothClients() {
    Assigned p = new Assigned("s.txt", new int[][] {{0, 4}, {2, 4}});
    assertThatThrownBy(() -> p.partition(data, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s.txt gives example 4 to both client 0 and client 1");
  }

  @Test
  void assigned_clientCountDiffers_saysBoth() {
    Assigned p = new Assigned("s.txt", new int[][] {{0}, {1}});
    assertThatThrownBy(() -> p.partition(data, 3, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s.txt assigns examples to 2 clients but the run has 3");
  }

  @Test
  void assigned_isImmutable() {
    int[][] lists = {{0, 1}, {2}};
    Assigned p = new Assigned("s.txt", lists);
    lists[0][0] = 9;
    p.clients()[1][0] = 9;
    assertThat(p.clients()).isDeepEqualTo(new int[][] {{0, 1}, {2}});
  }

  @Test
  void partitionFile_badTokenEmptyOrMissing_isAClearError() throws IOException {
    Path bad = dir.resolve("bad.txt");
    Files.writeString(bad, "0 1\n2 -x\n");
    assertThatThrownBy(() -> PartitionFile.read(bad))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageEndingWith("bad.txt: line 2, item 2: \"-x\" is not an example index");
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "# nothing\n\n");
    assertThatThrownBy(() -> PartitionFile.read(empty))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("lists no clients");
    assertThatThrownBy(() -> PartitionFile.read(dir.resolve("none.txt")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
