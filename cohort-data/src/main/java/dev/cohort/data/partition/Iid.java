package dev.cohort.data.partition;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * IID: shuffle all examples and split them into parts whose sizes differ by at most one, so every
 * client sees about the global label distribution. Works for regression datasets too.
 */
public record Iid() implements Partitioner {
  @Override
  public String name() {
    return "iid";
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  int[][] assign(int n, int clients, RandomGenerator rng) {
    return Splits.even(Draws.permutation(n, rng), clients);
  }
}
