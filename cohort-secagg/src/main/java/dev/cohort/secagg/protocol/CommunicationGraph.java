package dev.cohort.secagg.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Who exchanges masks and key shares with whom in a round, over client indices 1..n. SecAgg+
 * (Bell et al., CCS 2020) replaces the complete graph of the original protocol (Bonawitz et al.,
 * CCS 2017) by a sparse random graph with O(log n) neighbours per client, which cuts the client's
 * cost from O(n) to O(log n) key agreements and mask expansions. This graph is a Harary graph
 * H(k, n) laid over a uniformly random permutation of the clients (each client is joined to the
 * k/2 clients before it and the k/2 after it on a ring), the construction Bell et al. analyse.
 * Small cohorts, where k would reach about half of n, use the complete graph. Immutable.
 */
public final class CommunicationGraph {
  private final int[][] neighbours; // [index - 1] -> sorted neighbour indices

  private CommunicationGraph(int[][] neighbours) {
    this.neighbours = neighbours;
  }

  /** The complete graph on {@code n} clients. */
  public static CommunicationGraph complete(int n) {
    checkSize(n);
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] row = new int[n - 1];
      int p = 0;
      for (int j = 1; j <= n; j++) {
        if (j != i + 1) {
          row[p++] = j;
        }
      }
      out[i] = row;
    }
    return new CommunicationGraph(out);
  }

  /**
   * The graph of a round of {@code n} clients: degree {@code k} if that makes a sparse graph, the
   * complete graph if {@code k} reaches about half the cohort (including {@code k = n - 1}, which
   * {@link #degreeFor} returns when no sparse graph will do).
   */
  public static CommunicationGraph forCohort(int n, int k, RandomGenerator rng) {
    return k >= n - 1 || 2 * k >= n ? complete(n) : random(n, k, rng);
  }

  /**
   * A graph of degree {@code k} (even, >= 2) on {@code n} clients, or the complete graph when
   * {@code k >= n / 2}.
   */
  public static CommunicationGraph random(int n, int k, RandomGenerator rng) {
    checkSize(n);
    if (k < 2 || k % 2 != 0) {
      throw new IllegalArgumentException("degree k must be even and >= 2 but was " + k);
    }
    if (2 * k >= n) {
      return complete(n);
    }
    int[] ring = new int[n];
    for (int i = 0; i < n; i++) {
      ring[i] = i + 1;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = ring[i];
      ring[i] = ring[j];
      ring[j] = t;
    }
    int[][] out = new int[n][];
    for (int pos = 0; pos < n; pos++) {
      int[] row = new int[k];
      int p = 0;
      for (int d = 1; d <= k / 2; d++) {
        row[p++] = ring[(pos + d) % n];
        row[p++] = ring[(pos - d + n) % n];
      }
      Arrays.sort(row);
      out[ring[pos] - 1] = row;
    }
    return new CommunicationGraph(out);
  }

  private static void checkSize(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("secure aggregation needs at least 2 clients but the cohort has " + n);
    }
  }

  /** The number of clients. */
  public int size() {
    return neighbours.length;
  }

  /** The neighbours of client {@code index} (1-based), sorted ascending. */
  public int[] neighbours(int index) {
    return neighbours[index - 1].clone();
  }

  /**
   * The clients that hold shares of client {@code index}'s secrets: its neighbours and itself
   * (Bonawitz et al. share among all clients including the owner), sorted ascending. A holder's
   * share is evaluated at its 1-based position in this list.
   */
  public int[] members(int index) {
    return holders(neighbours[index - 1], index);
  }

  /** The share holders of {@code owner}'s secrets given its neighbours: the neighbours and the owner, sorted. */
  static int[] holders(int[] neighbours, int owner) {
    int[] out = Arrays.copyOf(neighbours, neighbours.length + 1);
    out[neighbours.length] = owner;
    Arrays.sort(out);
    return out;
  }

  /**
   * The smallest even degree k for which, when each client drops independently with probability
   * {@code dropout}, some client of {@code n} is left with fewer than
   * {@link #shareThreshold(int, double) shareThreshold(k, fraction)} live neighbours with
   * probability below {@code failure} (a union bound over binomial tails); n - 1 (the complete
   * graph) if no sparse graph does.
   */
  public static int degreeFor(int n, double fraction, double dropout, double failure) {
    for (int k = 2; 2 * k < n; k += 2) {
      int needed = shareThreshold(k, fraction);
      if (n * binomialCdf(needed - 1, k, 1 - dropout) < failure) {
        return k;
      }
    }
    return n - 1;
  }

  /**
   * Shares needed to reconstruct a secret shared among k neighbours and the owner: more than
   * {@code fraction} of the k + 1 holders and always more than half of them, so that a server
   * that lies about who dropped can never collect enough of both kinds of share for one client
   * from honest holders, each of which reveals at most one kind (Bell et al., CCS 2020, section 3).
   */
  public static int shareThreshold(int k, double fraction) {
    int holders = k + 1;
    return Math.min(holders, Math.max((int) Math.floor(fraction * holders), holders / 2) + 1);
  }

  /** P(Binomial(n, p) <= x), summed in log space. */
  static double binomialCdf(int x, int n, double p) {
    if (x < 0) {
      return 0;
    }
    double total = 0;
    for (int i = 0; i <= Math.min(x, n); i++) {
      double log = logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p);
      total += Math.exp(log);
    }
    return Math.min(1, total);
  }

  private static double logChoose(int n, int k) {
    double s = 0;
    for (int i = 1; i <= k; i++) {
      s += Math.log(n - k + i) - Math.log(i);
    }
    return s;
  }

  /** The smallest degree of any client. */
  public int degree() {
    int min = Integer.MAX_VALUE;
    for (int[] row : neighbours) {
      min = Math.min(min, row.length);
    }
    return min;
  }

  /** Whether every client is joined to every other. */
  public boolean isComplete() {
    return degree() == size() - 1;
  }

  /** The neighbours of {@code index} that are in {@code members}. */
  public List<Integer> neighboursIn(int index, java.util.Set<Integer> members) {
    List<Integer> out = new ArrayList<>();
    for (int j : neighbours[index - 1]) {
      if (members.contains(j)) {
        out.add(j);
      }
    }
    return out;
  }
}
