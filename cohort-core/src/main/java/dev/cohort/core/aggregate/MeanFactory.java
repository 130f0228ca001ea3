package dev.cohort.core.aggregate;

import dev.cohort.core.MetricRecord;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.kernel.VectorOps;
import dev.cohort.tensor.kernel.WeightedSum;

/**
 * The (weighted) mean of the updates: {@code sum(w_i * u_i) / sum(w_i)}, folded in as updates
 * arrive into one accumulator, so a round needs memory for one model however many clients
 * contribute, plus a few updates held back to be folded together in one pass over the accumulator
 * (up to {@link WeightedSum#WIDTH}, fewer for large models so that the held-back updates never
 * exceed {@link #HOLD_BYTES}). Unweighted, every weight counts as 1. Stateless.
 */
final class MeanFactory implements LinearAggregatorFactory {
  /** The most bytes of updates an accumulator holds back to fold together. */
  static final long HOLD_BYTES = 256L << 20;

  private final boolean weighted;

  MeanFactory(boolean weighted) {
    this.weighted = weighted;
  }

  @Override
  public AggregationProcess create(ParameterLayout layout) {
    return new AggregationProcess() {
      @Override
      public AggregationState initialState() {
        return AggregationState.NONE;
      }

      @Override
      public Accumulator begin(AggregationState state) {
        return new MeanAccumulator(layout, weighted);
      }
    };
  }

  @Override
  public String describe() {
    return weighted ? "mean(weighted)" : "mean";
  }

  private static final class MeanAccumulator implements Accumulator {
    private final ParameterLayout layout;
    private final boolean weighted;
    private final float[] sum;
    private final float[][] pending;
    private final float[] pendingWeights;
    private int pendingCount;
    private double totalWeight;
    private int count;
    private boolean finished;

    MeanAccumulator(ParameterLayout layout, boolean weighted) {
      this.layout = layout;
      this.weighted = weighted;
      this.sum = new float[layout.totalSize()];
      int width = (int) Math.max(1, Math.min(WeightedSum.WIDTH, HOLD_BYTES / (4L * Math.max(1, sum.length))));
      this.pending = new float[width][];
      this.pendingWeights = new float[width];
    }

    @Override
    public void add(Contribution c) {
      if (finished) {
        throw new IllegalStateException("accumulator already finished");
      }
      layout.checkCompatible(c.update().layout(), "update from " + c.client());
      double w = weighted ? c.weight() : 1.0;
      pending[pendingCount] = c.update().data();
      pendingWeights[pendingCount++] = (float) w;
      if (pendingCount == pending.length) {
        flush();
      }
      totalWeight += w;
      count++;
    }

    private void flush() {
      WeightedSum.accumulate(sum, pending, pendingWeights, pendingCount);
      java.util.Arrays.fill(pending, null);
      pendingCount = 0;
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
      flush();
      if (count == 0 || totalWeight <= 0) {
        throw new IllegalStateException(
            "cannot average " + count + " contributions of total weight " + totalWeight);
      }
      VectorOps.scale((float) (1.0 / totalWeight), sum, 0, sum.length);
      return new AggregationStep(AggregationState.NONE, ParameterSet.wrap(layout, sum),
          MetricRecord.of("contributions", count, "total_weight", totalWeight));
    }
  }
}
