package dev.cohort.data.partition;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Pathological non-IID partitioning of McMahan et al. (AISTATS 2017): sort the examples by label,
 * cut them into {@code clients * shardsPerClient} shards of (nearly) equal size and deal each
 * client {@code shardsPerClient} shards at random. With 60,000 MNIST examples, 100 clients and 2
 * shards per client this gives the paper's 200 shards of 300, so most clients see only two
 * classes.
 *
 * <p>Examples are shuffled before the (stable) sort, so which examples of a class share a shard
 * depends on the seed.
 *
 * @param shardsPerClient shards per client, {@code >= 1}
 */
public record Shards(int shardsPerClient) implements Partitioner {
  public Shards {
    if (shardsPerClient < 1) {
      throw new IllegalArgumentException("shards shards-per-client must be >= 1 but was " + shardsPerClient);
    }
  }

  @Override
  public String name() {
    return "shards";
  }

  @Override
  public Map<String, Object> parameters() {
    return ConfigParams.ordered("shards-per-client", shardsPerClient);
  }

  int[][] assign(int[] labels, int numClasses, int clients, RandomGenerator rng) {
    int n = labels.length;
    long shards = (long) clients * shardsPerClient;
    if (shards > n) {
      throw new IllegalArgumentException(describe() + " with " + clients + " clients needs " + shards
          + " shards but the dataset has only " + n + " examples; use fewer clients or shards per client");
    }
    int[] order = Draws.permutation(n, rng);
    int[] start = new int[numClasses + 1];
    for (int y : labels) {
      start[y + 1]++;
    }
    for (int c = 0; c < numClasses; c++) {
      start[c + 1] += start[c];
    }
    int[] sorted = new int[n];
    for (int i : order) {
      sorted[start[labels[i]]++] = i;
    }
    int[][] pieces = Splits.even(sorted, (int) shards);
    int[] deal = Draws.permutation((int) shards, rng);
    int[][] out = new int[clients][];
    for (int c = 0; c < clients; c++) {
      Splits.IntList mine = new Splits.IntList();
      for (int s = 0; s < shardsPerClient; s++) {
        mine.addAll(pieces[deal[c * shardsPerClient + s]]);
      }
      out[c] = mine.toArray();
    }
    return out;
  }
}
