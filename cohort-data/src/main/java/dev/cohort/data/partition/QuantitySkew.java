package dev.cohort.data.partition;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Quantity skew, NIID-Bench's "iid-diff-quantity": client sizes follow proportions drawn from a
 * symmetric Dirichlet({@code alpha}) while the examples themselves are shuffled, so labels stay
 * IID. Works for regression datasets too.
 *
 * <p>Every client first gets {@code minSize} examples and the Dirichlet proportions share out the
 * rest, so one draw always suffices. (NIID-Bench instead redraws until the smallest client
 * reaches the minimum, which at {@code alpha = 0.5} already needs tens of thousands of draws for
 * 100 clients.)
 *
 * @param alpha the Dirichlet concentration, finite and {@code > 0}; small means very unequal sizes
 * @param minSize the fewest examples any client may get, {@code >= 1}
 */
public record QuantitySkew(double alpha, int minSize) implements Partitioner {
  public QuantitySkew {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("quantity-skew alpha must be finite and > 0 but was " + alpha);
    }
    if (minSize < 1) {
      throw new IllegalArgumentException("quantity-skew min-size must be >= 1 but was " + minSize);
    }
  }

  @Override
  public String name() {
    return "quantity-skew";
  }

  @Override
  public Map<String, Object> parameters() {
    return ConfigParams.ordered("alpha", alpha, "min-size", minSize);
  }

  int[][] assign(int n, int clients, RandomGenerator rng) {
    long floor = (long) clients * minSize;
    if (floor > n) {
      throw new IllegalArgumentException(describe() + " needs at least " + clients + " x " + minSize
          + " = " + floor + " examples for " + clients + " clients but the dataset has " + n
          + "; lower min-size or use fewer clients");
    }
    int[] order = Draws.permutation(n, rng);
    int[] extra = Splits.sizes(n - (int) floor, Draws.dirichlet(rng, alpha, clients));
    int[][] out = new int[clients][];
    int from = 0;
    for (int j = 0; j < clients; j++) {
      int len = minSize + extra[j];
      out[j] = Arrays.copyOfRange(order, from, from + len);
      from += len;
    }
    return out;
  }
}
