package dev.cohort.train;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.Shape;
import java.util.SplittableRandom;

/** Small generated data for the engine's tests. */
final class TestData {
  private TestData() {}

  /** Uniform features in [-1, 1). */
  static float[] features(int n, Shape shape, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * shape.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return x;
  }

  /** A batch of random features with labels {@code i % classes}. */
  static Batch labelled(Shape shape, int n, int classes, long seed) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % classes;
    }
    return Batch.ofLabels(shape, features(n, shape, seed), y);
  }

  /** A batch of random features with Gaussian targets. */
  static Batch regression(Shape shape, int n, int targetSize, long seed) {
    SplittableRandom rng = new SplittableRandom(seed + 1);
    float[] t = new float[n * targetSize];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) rng.nextGaussian();
    }
    return Batch.ofTargets(shape, features(n, shape, seed), t, targetSize);
  }

  /**
   * {@code n} points in {@code dims} dimensions from {@code classes} well-separated Gaussian blobs
   * (centres at distance about 4 sigma): linearly separable with high probability.
   */
  static Dataset blobs(String name, int n, int dims, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] centres = new float[classes][dims];
    for (float[] c : centres) {
      for (int d = 0; d < dims; d++) {
        c[d] = (float) (rng.nextGaussian() * 3);
      }
    }
    float[] x = new float[n * dims];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(classes);
      for (int d = 0; d < dims; d++) {
        x[i * dims + d] = centres[y[i]][d] + (float) (rng.nextGaussian() * 0.5);
      }
    }
    return Dataset.classification(name, Shape.of(dims), x, y, classes);
  }
}
