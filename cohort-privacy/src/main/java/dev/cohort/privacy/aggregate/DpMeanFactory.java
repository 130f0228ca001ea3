package dev.cohort.privacy.aggregate;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.aggregate.Accumulator;
import dev.cohort.core.aggregate.AggregationProcess;
import dev.cohort.core.aggregate.AggregationState;
import dev.cohort.core.aggregate.AggregationStep;
import dev.cohort.core.aggregate.Contribution;
import dev.cohort.core.aggregate.LinearAggregatorFactory;
import dev.cohort.privacy.noise.GaussianNoise;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.kernel.VectorOps;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Client-level differentially private federated averaging (McMahan, Ramage, Talwar and Zhang,
 * "Learning Differentially Private Recurrent Language Models", ICLR 2018): each update is clipped
 * to L2 norm C, the clipped updates are summed unweighted, Gaussian noise of standard deviation
 * {@code noiseMultiplier * C} is added to the sum, and the sum is divided by the <em>expected</em>
 * number of clients per round (the fixed denominator, so the number of participants stays
 * private under Poisson client sampling).
 *
 * <p>With {@link ClipSettings.Adaptive} the norm follows Andrew et al. (NeurIPS 2021): each client
 * also contributes the bit "my norm was at most C"; the bits' sum gets Gaussian noise of
 * {@code clippedCountStddev}; C moves geometrically toward the target quantile. The two releases
 * together have the privacy of one Gaussian release with noise multiplier z when the update noise
 * uses {@code z_update = (z^-2 - (2 * clippedCountStddev)^-2)^(-1/2)} (their Theorem 1), so the
 * accountant charges {@code z} per round either way.
 *
 * <p>The server clips, so this is central DP: it protects against everyone who sees the model,
 * not against the server itself (secure aggregation moves clipping to the clients). The privacy
 * cost per round is a Poisson-subsampled Gaussian with sample rate
 * {@code expectedClients / population}; the strategy must sample clients by Poisson sampling for
 * that accounting to hold.
 */
public final class DpMeanFactory implements LinearAggregatorFactory {
  private final double noiseMultiplier;
  private final ClipSettings clip;
  private final double expectedClients;
  private final Supplier<RandomGenerator> rngs;

  /**
   * @param noiseMultiplier z: the noise standard deviation in units of the clipping norm, > 0
   * @param clip fixed or adaptive clipping
   * @param expectedClients the expected number of clients per round (fraction x population)
   * @param rngs a source of noise generators (secure ones outside tests), one per round
   */
  public DpMeanFactory(double noiseMultiplier, ClipSettings clip, double expectedClients,
      Supplier<RandomGenerator> rngs) {
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and > 0 but was " + noiseMultiplier);
    }
    if (!(expectedClients > 0)) {
      throw new IllegalArgumentException("expected clients per round must be > 0 but was " + expectedClients);
    }
    this.noiseMultiplier = noiseMultiplier;
    this.clip = Objects.requireNonNull(clip, "clip");
    this.expectedClients = expectedClients;
    this.rngs = Objects.requireNonNull(rngs, "rngs");
    if (clip instanceof ClipSettings.Adaptive a) {
      updateNoiseMultiplier(noiseMultiplier, a.clippedCountStddev());
    }
  }

  /**
   * The noise multiplier left for the update when the clipped count takes its share (Andrew et
   * al. 2021, Theorem 1): {@code (z^-2 - (2 sigma_b)^-2)^(-1/2)}.
   */
  static double updateNoiseMultiplier(double z, double clippedCountStddev) {
    double rest = 1 / (z * z) - 1 / (4 * clippedCountStddev * clippedCountStddev);
    if (!(rest > 0)) {
      throw new IllegalArgumentException("noise multiplier " + z + " is too large for a clipped-count stddev of "
          + clippedCountStddev + ": it must be < 2 * stddev = " + 2 * clippedCountStddev
          + "; increase the clipped-count noise or decrease the noise multiplier");
    }
    return 1 / Math.sqrt(rest);
  }

  public double noiseMultiplier() {
    return noiseMultiplier;
  }

  public double expectedClients() {
    return expectedClients;
  }

  @Override
  public String describe() {
    return "dp-mean(z=" + noiseMultiplier + ", clip=" + clip + ", expected clients=" + expectedClients + ")";
  }

  /** The clipping norm carried from round to round. */
  public record ClipState(double norm) implements AggregationState {}

  @Override
  public AggregationProcess create(ParameterLayout layout) {
    return new AggregationProcess() {
      @Override
      public AggregationState initialState() {
        return new ClipState(clip.initialNorm());
      }

      @Override
      public Accumulator begin(AggregationState state) {
        if (!(state instanceof ClipState cs)) {
          throw new IllegalArgumentException("expected a ClipState but got " + state);
        }
        return new DpAccumulator(layout, cs.norm());
      }
    };
  }

  private final class DpAccumulator implements Accumulator {
    private final ParameterLayout layout;
    private final double norm;
    private final float[] sum;
    private int count;
    private int unclipped;
    private boolean finished;

    DpAccumulator(ParameterLayout layout, double norm) {
      this.layout = layout;
      this.norm = norm;
      this.sum = new float[layout.totalSize()];
    }

    @Override
    public void add(Contribution c) {
      if (finished) {
        throw new IllegalStateException("accumulator already finished");
      }
      layout.checkCompatible(c.update().layout(), "update from " + c.client());
      float[] u = c.update().data();
      double l2 = Math.sqrt(VectorOps.sumOfSquares(u, 0, u.length));
      double scale = l2 > norm ? norm / l2 : 1.0;
      if (l2 <= norm) {
        unclipped++;
      }
      VectorOps.sumInto(sum, u, (float) scale);
      count++;
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public AggregationStep finish() {
      if (finished) {
        throw new IllegalStateException("accumulator already finished");
      }
      finished = true;
      RandomGenerator rng = rngs.get();
      double updateZ = clip instanceof ClipSettings.Adaptive a
          ? updateNoiseMultiplier(noiseMultiplier, a.clippedCountStddev()) : noiseMultiplier;
      new GaussianNoise(updateZ * norm, rng).addTo(sum, 0, sum.length);
      VectorOps.scale((float) (1.0 / expectedClients), sum, 0, sum.length);
      MetricRecord m = MetricRecord.of("dp.clip_norm", norm, "dp.noise_multiplier", noiseMultiplier,
          "dp.update_noise_stddev", updateZ * norm / expectedClients);
      double nextNorm = norm;
      if (clip instanceof ClipSettings.Adaptive a) {
        double noisyUnclipped = new GaussianNoise(a.clippedCountStddev(), rng).add(unclipped);
        double b = noisyUnclipped / expectedClients;
        nextNorm = norm * Math.exp(-a.learningRate() * (b - a.targetQuantile()));
        m = m.with("dp.unclipped_fraction_noised", b);
      }
      return new AggregationStep(new ClipState(nextNorm), ParameterSet.wrap(layout, sum), m);
    }
  }
}
