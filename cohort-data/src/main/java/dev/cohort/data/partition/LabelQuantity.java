package dev.cohort.data.partition;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Quantity-based label skew, NIID-Bench's "#C=k": client {@code i} holds class {@code i mod
 * numClasses} plus {@code k - 1} other classes chosen at random, and the shuffled examples of each
 * class are split evenly among the clients that hold it.
 *
 * <p>With fewer clients than classes some classes may be held by no client; their examples are
 * left out of the partition ({@link Partition#unassigned()} counts them), as in NIID-Bench.
 *
 * @param k the number of distinct classes per client, in {@code [1, numClasses]} (checked when
 *     partitioning, since only the dataset knows its classes)
 */
public record LabelQuantity(int k) implements Partitioner {
  public LabelQuantity {
    if (k < 1) {
      throw new IllegalArgumentException("label-quantity k must be >= 1 but was " + k);
    }
  }

  @Override
  public String name() {
    return "label-quantity";
  }

  @Override
  public Map<String, Object> parameters() {
    return ConfigParams.ordered("k", k);
  }

  int[][] assign(int[] labels, int numClasses, int clients, RandomGenerator rng) {
    if (k > numClasses) {
      throw new IllegalArgumentException(
          "label-quantity k must be in [1, numClasses=" + numClasses + "] but was " + k);
    }
    boolean[][] holds = new boolean[clients][numClasses];
    int[] holders = new int[numClasses];
    int[] others = new int[numClasses - 1];
    for (int i = 0; i < clients; i++) {
      int first = i % numClasses;
      holds[i][first] = true;
      holders[first]++;
      for (int c = 0, o = 0; c < numClasses; c++) {
        if (c != first) {
          others[o++] = c;
        }
      }
      for (int j = 0; j < k - 1; j++) { // partial Fisher-Yates: k - 1 distinct other classes
        int r = j + rng.nextInt(others.length - j);
        int t = others[j];
        others[j] = others[r];
        others[r] = t;
        holds[i][others[j]] = true;
        holders[others[j]]++;
      }
    }
    int[][] byClass = Splits.byClass(labels, numClasses);
    Splits.IntList[] batches = new Splits.IntList[clients];
    for (int i = 0; i < clients; i++) {
      batches[i] = new Splits.IntList();
    }
    for (int c = 0; c < numClasses; c++) {
      if (holders[c] == 0) {
        continue;
      }
      int[] idx = byClass[c].clone();
      Draws.shuffle(idx, rng);
      int[][] pieces = Splits.even(idx, holders[c]);
      for (int i = 0, piece = 0; i < clients; i++) {
        if (holds[i][c]) {
          batches[i].addAll(pieces[piece++]);
        }
      }
    }
    int[][] out = new int[clients][];
    for (int i = 0; i < clients; i++) {
      out[i] = batches[i].toArray();
    }
    return out;
  }
}
