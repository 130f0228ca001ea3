package dev.cohort.train;

import dev.cohort.train.layer.Layer;
import java.util.List;

/**
 * A model's activation and gradient arrays for batches of up to {@code capacity} examples.
 * {@code acts[l + 1]} is layer l's output ({@code acts[0]}, the input, is the caller's array) and
 * {@code deltas[l + 1]} the loss gradient with respect to it. A layer that can run in place shares
 * its input's arrays, unless the layer before it reads its own output in the backward pass.
 * Input gradients below the first layer with parameters are never needed and not allocated.
 */
final class Buffers {
  final int capacity;
  final float[][] acts;
  final float[][] deltas;
  final float[] lossGrad;

  private Buffers(int capacity, float[][] acts, float[][] deltas, float[] lossGrad) {
    this.capacity = capacity;
    this.acts = acts;
    this.deltas = deltas;
    this.lossGrad = lossGrad;
  }

  /** No buffers yet. */
  static Buffers none(int layers) {
    return new Buffers(0, new float[layers + 1][], new float[layers + 1][], new float[0]);
  }

  static Buffers plan(List<Layer> layers, int firstTrainable, int outputSize, int capacity) {
    int n = layers.size();
    float[][] a = new float[n + 1][];
    float[][] d = new float[n + 1][];
    boolean[] inPlace = new boolean[n];
    for (int l = 0; l < n; l++) {
      Layer layer = layers.get(l);
      inPlace[l] = l > 0 && layer.canRunInPlace() && !layers.get(l - 1).backwardReadsOutput();
      a[l + 1] = inPlace[l] ? a[l] : new float[capacity * layer.outputShape().size()];
      layer.reserve(capacity);
    }
    d[n] = new float[capacity * outputSize];
    for (int l = n - 1; l > firstTrainable; l--) {
      d[l] = inPlace[l] ? d[l + 1] : new float[capacity * layers.get(l).inputShape().size()];
    }
    return new Buffers(capacity, a, d, new float[capacity * outputSize]);
  }
}
