package dev.cohort.secagg.protocol;

import java.util.Optional;

/**
 * The settings of secure aggregation for a run.
 *
 * @param threshold how many clients must survive a round: more than a fraction of the round's
 *     cohort (in (0, 1]) or a count (>= 2); fewer survivors abort the round
 * @param degree neighbours per client in the SecAgg+ graph, even; 0 picks the smallest that
 *     tolerates {@code dropoutTolerance} ({@link CommunicationGraph#degreeFor}); cohorts too small
 *     for a sparse graph use the complete one
 * @param dropoutTolerance the fraction of clients expected to drop, in [0, 1), which the automatic
 *     degree must survive (fewer live neighbours than needed abort the round)
 * @param range each coordinate of a (weighted) update is clipped to [-range, range] before quantisation
 * @param bits quantisation bits per coordinate; 0 picks the most that cannot wrap for the cohort
 * @param weightCap examples at which a client's weight saturates (FedAvg weighting); 0 weighs all equally
 * @param distributedDp per-client discrete Gaussian noise for distributed DP, replacing the
 *     quantiser by L2 clipping and randomised rounding; empty for none
 * @param threads worker threads the server uses to remove masks
 */
public record SecAggSettings(Threshold threshold, int degree, double dropoutTolerance, double range, int bits,
    long weightCap, Optional<DistributedNoise> distributedDp, int threads) {
  public SecAggSettings {
    java.util.Objects.requireNonNull(threshold, "threshold");
    if (degree < 0 || degree % 2 != 0) {
      throw new IllegalArgumentException("degree must be 0 (automatic) or even and >= 2 but was " + degree);
    }
    if (!(dropoutTolerance >= 0 && dropoutTolerance < 1)) {
      throw new IllegalArgumentException("dropoutTolerance must be in [0, 1) but was " + dropoutTolerance);
    }
    if (!(range > 0) || Double.isInfinite(range)) {
      throw new IllegalArgumentException("range must be finite and > 0 but was " + range);
    }
    if (bits < 0 || bits > 31) {
      throw new IllegalArgumentException("bits must be 0 (automatic) or in [1, 31] but was " + bits);
    }
    if (weightCap < 0) {
      throw new IllegalArgumentException("weightCap must be >= 0 but was " + weightCap);
    }
    java.util.Objects.requireNonNull(distributedDp, "distributedDp");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
    }
  }

  /**
   * More than half the cohort must survive, a degree that tolerates 30% dropout, automatic bits,
   * range 1, weights saturating at 10,000 examples.
   */
  public static SecAggSettings defaults() {
    return new SecAggSettings(Threshold.fraction(0.5), 0, 0.3, 1.0, 0, 10_000, Optional.empty(),
        Runtime.getRuntime().availableProcessors());
  }

  public SecAggSettings withThreshold(Threshold t) {
    return new SecAggSettings(t, degree, dropoutTolerance, range, bits, weightCap, distributedDp, threads);
  }

  public SecAggSettings withDegree(int k) {
    return new SecAggSettings(threshold, k, dropoutTolerance, range, bits, weightCap, distributedDp, threads);
  }

  public SecAggSettings withDropoutTolerance(double d) {
    return new SecAggSettings(threshold, degree, d, range, bits, weightCap, distributedDp, threads);
  }

  public SecAggSettings withDistributedDp(DistributedNoise noise) {
    return new SecAggSettings(threshold, degree, dropoutTolerance, range, bits, weightCap, Optional.of(noise),
        threads);
  }

  /** How many survivors a round needs: a count, or a fraction of the cohort (rounded up). */
  public record Threshold(double fraction, int count) {
    public Threshold {
      if (count == 0 && !(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("threshold fraction must be in (0, 1] but was " + fraction);
      }
      if (count != 0 && count < 2) {
        throw new IllegalArgumentException("threshold count must be >= 2 but was " + count);
      }
    }

    public static Threshold fraction(double fraction) {
      return new Threshold(fraction, 0);
    }

    public static Threshold count(int count) {
      return new Threshold(0, count);
    }

    /**
     * The number of survivors needed in a cohort of {@code n}: more than the fraction of n (or
     * at least the count) and always more than half of n (see {@link CommunicationGraph#shareThreshold}).
     */
    public int resolve(int n) {
      return CommunicationGraph.shareThreshold(n - 1, fractionOf(n));
    }

    /** The threshold as a fraction of a cohort of {@code n}, as the share threshold uses it. */
    public double fractionOf(int n) {
      return count != 0 ? (count - 0.5) / n : fraction;
    }

    @Override
    public String toString() {
      return count != 0 ? Integer.toString(count) : Double.toString(fraction);
    }
  }

  /**
   * Distributed DP: clients clip to L2 norm {@code clipNorm} and add discrete Gaussian noise such
   * that the sum of the threshold's worth of clients has noise multiplier {@code noiseMultiplier}.
   */
  public record DistributedNoise(double clipNorm, double noiseMultiplier) {
    public DistributedNoise {
      if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
        throw new IllegalArgumentException("clipNorm must be finite and > 0 but was " + clipNorm);
      }
      if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
        throw new IllegalArgumentException("noiseMultiplier must be finite and > 0 but was " + noiseMultiplier);
      }
    }
  }
}
