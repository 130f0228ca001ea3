package dev.cohort.core.aggregate;

import dev.cohort.core.MetricRecord;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.kernel.VectorOps;

/**
 * The (weighted) mean of the updates: {@code sum(w_i * u_i) / sum(w_i)}, folded in as updates
 * arrive into one accumulator, so a round needs memory for one model however many clients
 * contribute. Unweighted, every weight counts as 1. Stateless.
 */
final class MeanFactory implements LinearAggregatorFactory {
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
    private double totalWeight;
    private int count;
    private boolean finished;

    MeanAccumulator(ParameterLayout layout, boolean weighted) {
      this.layout = layout;
      this.weighted = weighted;
      this.sum = new float[layout.totalSize()];
    }

    @Override
    public void add(Contribution c) {
      if (finished) {
        throw new IllegalStateException("accumulator already finished");
      }
      layout.checkCompatible(c.update().layout(), "update from " + c.client());
      double w = weighted ? c.weight() : 1.0;
      VectorOps.sumInto(sum, c.update().data(), (float) w);
      totalWeight += w;
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
