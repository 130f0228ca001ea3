package dev.cohort.data.partition;

import java.util.Arrays;
import java.util.Map;

/**
 * A partition given example by example instead of drawn: client {@code c} holds exactly the
 * dataset indices {@code clients[c]}. It reproduces a split made elsewhere (for instance by another
 * framework's partitioner, read with {@link PartitionFile}), so that two systems can be compared on
 * identical client data. The seed plays no part.
 *
 * @param source where the assignment came from (a file name), for descriptions
 * @param clients each client's dataset indices; copied in and out
 */
public record Assigned(String source, int[][] clients) implements Partitioner {
  public Assigned {
    if (clients.length == 0) {
      throw new IllegalArgumentException("an assigned partition needs at least one client");
    }
    clients = deepCopy(clients);
  }

  @Override
  public int[][] clients() {
    return deepCopy(clients);
  }

  @Override
  public String name() {
    return "file";
  }

  @Override
  public Map<String, Object> parameters() {
    return ConfigParams.ordered("file", source);
  }

  int[][] assign(int n, int clientCount) {
    if (clientCount != clients.length) {
      throw new IllegalArgumentException(source + " assigns examples to " + clients.length
          + " clients but the run has " + clientCount);
    }
    int[] owner = new int[n];
    Arrays.fill(owner, -1);
    for (int c = 0; c < clients.length; c++) {
      for (int i : clients[c]) {
        if (i < 0 || i >= n) {
          throw new IllegalArgumentException(source + " gives client " + c + " example " + i
              + ", outside [0, " + n + ")");
        }
        if (owner[i] >= 0) {
          throw new IllegalArgumentException(source + " gives example " + i + " to both client " + owner[i]
              + " and client " + c);
        }
        owner[i] = c;
      }
    }
    return deepCopy(clients);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Assigned a && a.source.equals(source) && Arrays.deepEquals(a.clients, clients);
  }

  @Override
  public int hashCode() {
    return 31 * source.hashCode() + Arrays.deepHashCode(clients);
  }

  @Override
  public String toString() {
    return "Assigned[source=" + source + ", clients=" + clients.length + "]";
  }

  private static int[][] deepCopy(int[][] a) {
    int[][] out = new int[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
