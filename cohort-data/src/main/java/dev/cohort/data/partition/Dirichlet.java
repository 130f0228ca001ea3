package dev.cohort.data.partition;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Dirichlet label skew, NIID-Bench's "noniid-labeldir": for each class, draw client proportions
 * from a symmetric Dirichlet({@code alpha}) and split that class's shuffled examples among the
 * clients accordingly. Small {@code alpha} (0.1) gives each client a few dominant classes; large
 * {@code alpha} (100) approaches IID.
 *
 * <p>As in NIID-Bench, a client that already holds its fair share ({@code n / clients} examples)
 * gets no more of later classes, and the whole draw is repeated until every client has at least
 * {@code minSize} examples (giving up with an error after {@value #MAX_ATTEMPTS} draws).
 *
 * @param alpha the Dirichlet concentration, finite and {@code > 0}
 * @param minSize the fewest examples any client may get, {@code >= 1}
 */
public record Dirichlet(double alpha, int minSize) implements Partitioner {
  /** How many draws to try before reporting that {@code minSize} cannot be met. */
  public static final int MAX_ATTEMPTS = 1000;

  public Dirichlet {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("dirichlet alpha must be finite and > 0 but was " + alpha);
    }
    if (minSize < 1) {
      throw new IllegalArgumentException("dirichlet min-size must be >= 1 but was " + minSize);
    }
  }

  @Override
  public String name() {
    return "dirichlet";
  }

  @Override
  public Map<String, Object> parameters() {
    return ConfigParams.ordered("alpha", alpha, "min-size", minSize);
  }

  int[][] assign(int[] labels, int numClasses, int clients, RandomGenerator rng) {
    int n = labels.length;
    if ((long) clients * minSize > n) {
      throw new IllegalArgumentException(describe() + " needs at least " + clients + " x " + minSize
          + " = " + (long) clients * minSize + " examples for " + clients + " clients but the dataset has " + n
          + "; lower min-size or use fewer clients");
    }
    int[][] byClass = Splits.byClass(labels, numClasses);
    double fairShare = (double) n / clients;
    int smallest = 0;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Splits.IntList[] batches = new Splits.IntList[clients];
      for (int j = 0; j < clients; j++) {
        batches[j] = new Splits.IntList();
      }
      for (int c = 0; c < numClasses; c++) {
        int[] idx = byClass[c].clone();
        Draws.shuffle(idx, rng);
        double[] p = Draws.dirichlet(rng, alpha, clients);
        double sum = 0;
        for (int j = 0; j < clients; j++) {
          if (batches[j].size() >= fairShare) {
            p[j] = 0;
          }
          sum += p[j];
        }
        if (idx.length == 0) {
          continue;
        }
        if (sum == 0) {
          // The open clients' shares all underflowed (tiny alpha): share this class evenly among them.
          for (int j = 0; j < clients; j++) {
            p[j] = batches[j].size() < fairShare ? 1 : 0;
            sum += p[j];
          }
        }
        for (int j = 0; j < clients; j++) {
          p[j] /= sum;
        }
        int[][] pieces = Splits.proportional(idx, p);
        for (int j = 0; j < clients; j++) {
          batches[j].addAll(pieces[j]);
        }
      }
      smallest = Integer.MAX_VALUE;
      for (Splits.IntList b : batches) {
        smallest = Math.min(smallest, b.size());
      }
      if (smallest >= minSize) {
        int[][] out = new int[clients][];
        for (int j = 0; j < clients; j++) {
          out[j] = batches[j].toArray();
        }
        return out;
      }
    }
    throw new IllegalArgumentException(describe() + " left some client with fewer than " + minSize
        + " examples in all " + MAX_ATTEMPTS + " draws (" + clients + " clients, " + n
        + " examples; the last draw's smallest client had " + smallest
        + "); raise alpha, lower min-size or use fewer clients");
  }
}
