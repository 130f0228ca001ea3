package dev.cohort.train.optim;

import java.util.Arrays;

/** See {@link OptimizerSpec.Sgd}. */
final class SgdOptimizer implements Optimizer {
  private final OptimizerSpec.Sgd spec;
  private final int size;
  private final float lr;
  private final float momentum;
  private final float weightDecay;
  private float[] buffer;
  private long steps;

  SgdOptimizer(OptimizerSpec.Sgd spec, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("parameterCount must be >= 0 but was " + size);
    }
    this.spec = spec;
    this.size = size;
    this.lr = (float) spec.learningRate();
    this.momentum = (float) spec.momentum();
    this.weightDecay = (float) spec.weightDecay();
  }

  @Override
  public OptimizerSpec spec() {
    return spec;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public void step(float[] w, float[] g) {
    Checks.sizes(size, w, g);
    if (momentum == 0f) {
      if (weightDecay == 0f) {
        for (int i = 0; i < size; i++) {
          w[i] -= lr * g[i];
        }
      } else {
        for (int i = 0; i < size; i++) {
          w[i] -= lr * (g[i] + weightDecay * w[i]);
        }
      }
    } else {
      if (buffer == null) {
        buffer = new float[size];
      }
      float[] buf = buffer;
      boolean nesterov = spec.nesterov();
      for (int i = 0; i < size; i++) {
        float gi = g[i] + weightDecay * w[i];
        float b = momentum * buf[i] + gi;
        buf[i] = b;
        w[i] -= lr * (nesterov ? gi + momentum * b : b);
      }
    }
    steps++;
  }

  @Override
  public void reset() {
    if (buffer != null) {
      Arrays.fill(buffer, 0f);
    }
    steps = 0;
  }

  @Override
  public String toString() {
    return "SgdOptimizer[" + spec + ", steps=" + steps + "]";
  }
}
