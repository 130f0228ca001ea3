package dev.cohort.core.strategy;

import dev.cohort.core.ClientId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded sampling of the clients that take part in a round. {@link #fixed fixed} sampling picks
 * {@code max(round(fraction * available), minClients)} clients uniformly without replacement;
 * {@link #poisson Poisson} sampling includes each client independently with probability
 * {@code fraction}, the sampling that the privacy accountant of client-level differential privacy
 * assumes. Thread-safe (stateless).
 */
public final class ClientSampler {
  private final double fraction;
  private final int minClients;
  private final boolean poisson;

  /** Fixed-size sampling (see the class comment). */
  public static ClientSampler fixed(double fraction, int minClients) {
    return new ClientSampler(fraction, minClients, false);
  }

  /** Poisson sampling: every client independently with probability {@code fraction}. */
  public static ClientSampler poisson(double fraction, int minClients) {
    return new ClientSampler(fraction, minClients, true);
  }

  /**
   * @param fraction share of available clients sampled each round, in (0, 1]
   * @param minClients lower bound on the sample size (capped by the available clients)
   */
  private ClientSampler(double fraction, int minClients, boolean poisson) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1] but was " + fraction);
    }
    if (minClients < 1) {
      throw new IllegalArgumentException("min_clients must be >= 1 but was " + minClients);
    }
    this.fraction = fraction;
    this.minClients = minClients;
    this.poisson = poisson;
  }

  /** The number of clients sampled out of {@code available} (the expected number under Poisson sampling). */
  public int sampleSize(int available) {
    int n = (int) Math.max(Math.round(fraction * available), minClients);
    return Math.min(n, available);
  }

  /** A seeded sample, in the order of {@code available}. */
  public List<ClientId> sample(List<ClientId> available, long seed) {
    if (poisson) {
      SplittableRandom rng = new SplittableRandom(seed);
      List<ClientId> out = new ArrayList<>();
      for (ClientId c : available) {
        if (rng.nextDouble() < fraction) {
          out.add(c);
        }
      }
      return out;
    }
    int n = available.size();
    int k = sampleSize(n);
    // Partial Fisher-Yates over indices, then restore the input order.
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    java.util.Arrays.sort(idx, 0, k);
    List<ClientId> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      out.add(available.get(idx[i]));
    }
    return out;
  }

  public double fraction() {
    return fraction;
  }

  public int minClients() {
    return minClients;
  }

  /** Whether clients are sampled independently (Poisson) rather than a fixed number per round. */
  public boolean isPoisson() {
    return poisson;
  }
}
