package dev.cohort.train.optim;

import java.util.Arrays;

/** See {@link OptimizerSpec.Adam}. */
final class AdamOptimizer implements Optimizer {
  private final OptimizerSpec.Adam spec;
  private final int size;
  private final float[] m;
  private final float[] v;
  private long steps;

  AdamOptimizer(OptimizerSpec.Adam spec, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("parameterCount must be >= 0 but was " + size);
    }
    this.spec = spec;
    this.size = size;
    this.m = new float[size];
    this.v = new float[size];
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
    steps++;
    float b1 = (float) spec.beta1();
    float b2 = (float) spec.beta2();
    float oneMinusB1 = (float) (1 - spec.beta1());
    float oneMinusB2 = (float) (1 - spec.beta2());
    float wd = (float) spec.weightDecay();
    float eps = (float) spec.epsilon();
    double bias1 = 1 - Math.pow(spec.beta1(), steps);
    double bias2 = 1 - Math.pow(spec.beta2(), steps);
    float stepSize = (float) (spec.learningRate() / bias1);
    float invSqrtBias2 = (float) (1 / Math.sqrt(bias2));
    for (int i = 0; i < size; i++) {
      float gi = g[i] + wd * w[i];
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float vi = b2 * v[i] + oneMinusB2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBias2 + eps);
    }
  }

  @Override
  public void reset() {
    Arrays.fill(m, 0f);
    Arrays.fill(v, 0f);
    steps = 0;
  }

  @Override
  public String toString() {
    return "AdamOptimizer[" + spec + ", steps=" + steps + "]";
  }
}
