package dev.cohort.train.layer;

import java.util.SplittableRandom;

/** Weight initialisation shared by the layers with parameters. */
final class Init {
  private Init() {}

  /**
   * Fills {@code a[off .. off + n)} with draws from U(-1/sqrt(fanIn), 1/sqrt(fanIn)): PyTorch's
   * default for {@code nn.Linear} and {@code nn.Conv2d}, whose weights use
   * {@code kaiming_uniform_(a=sqrt(5))} (gain sqrt(1/3), bound gain * sqrt(3 / fanIn)) and whose
   * biases use the same bound.
   */
  static void kaimingUniform(float[] a, int off, int n, int fanIn, SplittableRandom rng) {
    double bound = 1.0 / Math.sqrt(fanIn);
    for (int i = 0; i < n; i++) {
      a[off + i] = (float) ((2.0 * rng.nextDouble() - 1.0) * bound);
    }
  }
}
