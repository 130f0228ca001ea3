package dev.cohort.train.layer;

import dev.cohort.tensor.Shape;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code p} and the rest
 * are scaled by {@code 1 / (1 - p)}; in evaluation it is the identity. The mask comes from a
 * seeded generator ({@link #reseed}), so training is reproducible. Runs in place. Not thread-safe.
 */
public final class Dropout implements Layer {
  private final String name;
  private final Shape shape;
  private final float p;
  private final float keepScale;
  private SplittableRandom rng;
  private float[] mask = new float[0];
  private boolean masked;

  /**
   * @throws IllegalArgumentException if {@code p} is not in {@code [0, 1)}
   */
  public Dropout(String name, Shape shape, double p, long seed) {
    this.name = Objects.requireNonNull(name, "name");
    this.shape = Objects.requireNonNull(shape, "shape");
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException(name + ": dropout p must be in [0, 1) but was " + p);
    }
    this.p = (float) p;
    this.keepScale = (float) (1.0 / (1.0 - p));
    this.rng = new SplittableRandom(seed);
  }

  /** Restarts the mask stream from {@code seed}. */
  public void reseed(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  /** The drop probability. */
  public double p() {
    return p;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public boolean canRunInPlace() {
    return true;
  }

  @Override
  public void reserve(int batch) {
    if (mask.length < batch * shape.size()) {
      mask = new float[batch * shape.size()];
    }
  }

  @Override
  public void forward(float[] in, float[] out, int batch, boolean training) {
    int n = batch * shape.size();
    masked = training && p > 0f;
    if (!masked) {
      if (in != out) {
        System.arraycopy(in, 0, out, 0, n);
      }
      return;
    }
    reserve(batch);
    for (int i = 0; i < n; i++) {
      mask[i] = rng.nextFloat() < p ? 0f : keepScale;
      out[i] = in[i] * mask[i];
    }
  }

  @Override
  public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int batch,
      GradientSink sink) {
    if (gradIn == null) {
      return;
    }
    int n = batch * shape.size();
    if (!masked) {
      if (gradIn != gradOut) {
        System.arraycopy(gradOut, 0, gradIn, 0, n);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      gradIn[i] = gradOut[i] * mask[i];
    }
  }

  @Override
  public String toString() {
    return name + ": dropout p=" + p + " " + shape;
  }
}
