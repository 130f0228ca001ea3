package dev.cohort.train.layer;

import java.util.Objects;

/**
 * Where a layer writes its parameter gradients during one backward pass. Every variant addresses
 * the model's flat parameter layout: a layer writes only the floats at its own parameter offsets.
 *
 * <p>The three variants are the gradient modes of the engine: the batch gradient ({@link Sum}),
 * the full gradient of every example ({@link PerExample}) and every example's squared L2 norm
 * without materialising the gradients ({@link SquaredNorms}). A sink is a value; the arrays are the
 * caller's and are written in place.
 */
public sealed interface GradientSink {

  /**
   * {@code dst[p] = alpha * sum_i g_i[p] + (accumulate ? dst[p] : 0)} over the layer's parameters
   * {@code p}, where {@code g_i} is example i's gradient (already scaled by whatever the caller
   * applied to the upstream gradient). With {@code dst} the parameter array itself, {@code alpha}
   * a negative learning rate and {@code accumulate} true, this is a fused SGD step: each layer
   * computes its input gradient before it updates its own weights.
   */
  record Sum(float[] dst, float alpha, boolean accumulate) implements GradientSink {
    public Sum {
      Objects.requireNonNull(dst, "dst");
    }
  }

  /**
   * Row i of the {@code batch x rowStride} matrix {@code rows} receives example i's gradient, at
   * the layer's parameter offsets within the row.
   */
  record PerExample(float[] rows, int rowStride) implements GradientSink {
    public PerExample {
      Objects.requireNonNull(rows, "rows");
      if (rowStride < 1) {
        throw new IllegalArgumentException("rowStride must be >= 1 but was " + rowStride);
      }
    }
  }

  /**
   * {@code squaredNorms[i] += ||g_i restricted to this layer||^2}; the caller zeroes the array
   * before the pass, and the layers' contributions add up to each example's full squared norm.
   */
  record SquaredNorms(double[] squaredNorms) implements GradientSink {
    public SquaredNorms {
      Objects.requireNonNull(squaredNorms, "squaredNorms");
    }
  }
}
