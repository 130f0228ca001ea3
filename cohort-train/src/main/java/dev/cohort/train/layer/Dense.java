package dev.cohort.train.layer;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.tensor.kernel.VectorGemm;
import dev.cohort.tensor.kernel.VectorOps;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * A fully connected layer, {@code y = x W^T + b}, like PyTorch's {@code nn.Linear}: weight {@code
 * [out, in]} and bias {@code [out]}, named {@code <name>.weight} and {@code <name>.bias}. An input
 * of any shape is read as a flat vector of {@code inputShape().size()} floats (row-major, the order
 * of PyTorch's {@code flatten(1)}).
 *
 * <p>Per-example gradients: example i's weight gradient is the outer product {@code g_i x_i^T}
 * and its bias gradient {@code g_i}, so its squared norm is exactly {@code ||g_i||^2 (||x_i||^2 +
 * 1)} (Goodfellow 2015), computed without forming the outer product.
 *
 * <p>When a large weight matrix gets both an input gradient and a summed gradient, the two run
 * together over blocks of its columns ({@link #FUSED_MIN_WEIGHTS}). Not thread-safe.
 */
public final class Dense implements Layer {
  /**
   * Weights from which the backward pass makes one sweep over the weight matrix instead of two:
   * for each block of columns, the input gradient reads the block and the summed gradient then
   * updates it while it is still in cache. Column {@code j} of the input gradient and of the weight
   * gradient depends only on column {@code j} of W, so the update cannot reach a column the input
   * gradient has yet to read; with the Java kernels each column's sums are also formed exactly as
   * in the whole-matrix products. In the CNN the convolutions evict W (6.4 MB) between the forward
   * and backward passes, so the second whole-matrix read came from memory and cost about as much
   * as the products. Below this size (4 MB; the 2NN's 784 x 200 is far below) the matrix stays in
   * cache between the two products anyway.
   */
  static final long FUSED_MIN_WEIGHTS = 1L << 20;

  /** Floats of W in one block of the fused sweep: 512 KB, half of a 1 MB L2. */
  private static final int FUSED_BLOCK_FLOATS = 1 << 17;

  private final String name;
  private final Shape inputShape;
  private final Shape outputShape;
  private final int in;
  private final int out;
  private float[] params;
  private int weightOffset;
  private int biasOffset;
  private Parallelism parallelism = Parallelism.SERIAL;

  /**
   * A dense layer from {@code inputShape.size()} to {@code outFeatures} features.
   *
   * @throws IllegalArgumentException if {@code outFeatures < 1}
   */
  public Dense(String name, Shape inputShape, int outFeatures) {
    this.name = Objects.requireNonNull(name, "name");
    this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    if (outFeatures < 1) {
      throw new IllegalArgumentException(name + ": outFeatures must be >= 1 but was " + outFeatures);
    }
    this.in = inputShape.size();
    this.out = outFeatures;
    this.outputShape = Shape.of(outFeatures);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public int parameterCount() {
    return out * in + out;
  }

  @Override
  public void declareParameters(ParameterLayout.Builder layout) {
    layout.add(name + ".weight", Shape.of(out, in));
    layout.add(name + ".bias", Shape.of(out));
  }

  @Override
  public void bind(ParameterLayout layout, float[] params) {
    this.params = params;
    this.weightOffset = layout.entry(name + ".weight").offset();
    this.biasOffset = layout.entry(name + ".bias").offset();
  }

  @Override
  public void initialize(SplittableRandom rng) {
    Init.kaimingUniform(params, weightOffset, out * in, in, rng);
    Init.kaimingUniform(params, biasOffset, out, in, rng);
  }

  @Override
  public void setParallelism(Parallelism parallelism) {
    this.parallelism = Objects.requireNonNull(parallelism, "parallelism");
  }

  @Override
  public void forward(float[] x, float[] y, int batch, boolean training) {
    int parts = parallelism.parts(batch, (long) batch * in * out);
    if (parts == 1) {
      forwardRows(x, y, 0, batch);
    } else {
      parallelism.run(parts, p -> forwardRows(x, y, Parallelism.start(batch, parts, p),
          Parallelism.start(batch, parts, p + 1)));
    }
  }

  private void forwardRows(float[] x, float[] y, int r0, int r1) {
    Kernels.gemm().sgemm(false, true, r1 - r0, out, in, 1f,
        x, r0 * in, in, params, weightOffset, in, 0f, y, r0 * out, out);
    VectorOps.addBias(y, r0 * out, r1 - r0, out, params, biasOffset);
  }

  @Override
  public void backward(float[] x, float[] y, float[] gradOut, float[] gradIn, int batch,
      GradientSink sink) {
    long work = (long) batch * in * out;
    if (gradIn != null && sink instanceof GradientSink.Sum s
        && (long) in * out >= FUSED_MIN_WEIGHTS) {
      fusedBackward(x, gradOut, gradIn, batch, s, work);
      return;
    }
    if (gradIn != null) {
      // All input gradients first: a fused update (Sum into params) changes W next.
      int parts = parallelism.parts(batch, work);
      if (parts == 1) {
        inputGradient(gradOut, gradIn, 0, batch);
      } else {
        parallelism.run(parts, p -> inputGradient(gradOut, gradIn,
            Parallelism.start(batch, parts, p), Parallelism.start(batch, parts, p + 1)));
      }
    }
    switch (sink) {
      case GradientSink.Sum s -> {
        int parts = parallelism.parts(out, work);
        if (parts == 1) {
          sum(x, gradOut, batch, s, 0, out);
        } else {
          parallelism.run(parts, p -> sum(x, gradOut, batch, s,
              Parallelism.start(out, parts, p), Parallelism.start(out, parts, p + 1)));
        }
      }
      case GradientSink.PerExample p -> {
        int parts = parallelism.parts(batch, work);
        parallelism.run(parts, part -> perExample(x, gradOut, p.rows(), p.rowStride(),
            Parallelism.start(batch, parts, part), Parallelism.start(batch, parts, part + 1)));
      }
      case GradientSink.SquaredNorms n -> squaredNorms(x, gradOut, batch, n.squaredNorms());
    }
  }

  /**
   * The input gradient and the summed gradient in one sweep over blocks of W's columns, split
   * over the layer's threads or else over the kernels' intra-op threads.
   */
  private void fusedBackward(float[] x, float[] g, float[] gradIn, int batch, GradientSink.Sum s,
      long work) {
    int width = Math.max(32, FUSED_BLOCK_FLOATS / out / 32 * 32);
    int blocks = (in + width - 1) / width;
    int layerParts = parallelism.parts(blocks, work);
    int parts = layerParts > 1 ? layerParts
        : work >= VectorGemm.PARALLEL_THRESHOLD ? Math.min(Kernels.intraOpThreads(), blocks) : 1;
    IntConsumer part = p -> {
      int end = Math.min(in, Parallelism.start(blocks, parts, p + 1) * width);
      for (int j0 = Parallelism.start(blocks, parts, p) * width; j0 < end; j0 += width) {
        int cols = Math.min(width, in - j0);
        Kernels.gemm().sgemm(false, false, batch, cols, out, 1f,
            g, 0, out, params, weightOffset + j0, in, 0f, gradIn, j0, in);
        Kernels.gemm().sgemm(true, false, out, cols, batch, s.alpha(),
            g, 0, out, x, j0, in, s.accumulate() ? 1f : 0f, s.dst(), weightOffset + j0, in);
      }
    };
    if (layerParts > 1) {
      parallelism.run(parts, part);
    } else {
      Kernels.parallelFor(parts, part);
    }
    biasSum(g, batch, s, 0, out);
  }

  private void inputGradient(float[] g, float[] gradIn, int r0, int r1) {
    Kernels.gemm().sgemm(false, false, r1 - r0, in, out, 1f,
        g, r0 * out, out, params, weightOffset, in, 0f, gradIn, r0 * in, in);
  }

  /** Weight and bias gradients of output features [o0, o1) into the sum sink. */
  private void sum(float[] x, float[] g, int batch, GradientSink.Sum s, int o0, int o1) {
    float[] dst = s.dst();
    Kernels.gemm().sgemm(true, false, o1 - o0, in, batch, s.alpha(),
        g, o0, out, x, 0, in, s.accumulate() ? 1f : 0f, dst, weightOffset + o0 * in, in);
    biasSum(g, batch, s, o0, o1);
  }

  /** Bias gradients of output features [o0, o1) into the sum sink. */
  private void biasSum(float[] g, int batch, GradientSink.Sum s, int o0, int o1) {
    float[] dst = s.dst();
    for (int o = o0; o < o1; o++) {
      float total = 0f;
      for (int r = 0; r < batch; r++) {
        total += g[r * out + o];
      }
      float v = s.alpha() * total;
      dst[biasOffset + o] = s.accumulate() ? dst[biasOffset + o] + v : v;
    }
  }

  private void perExample(float[] x, float[] g, float[] rows, int stride, int from, int to) {
    for (int i = from; i < to; i++) {
      int row = i * stride;
      int xi = i * in;
      for (int o = 0; o < out; o++) {
        float go = g[i * out + o];
        int w = row + weightOffset + o * in;
        for (int k = 0; k < in; k++) {
          rows[w + k] = go * x[xi + k];
        }
      }
      System.arraycopy(g, i * out, rows, row + biasOffset, out);
    }
  }

  private void squaredNorms(float[] x, float[] g, int batch, double[] norms) {
    for (int i = 0; i < batch; i++) {
      double gg = VectorOps.sumOfSquares(g, i * out, out);
      double xx = VectorOps.sumOfSquares(x, i * in, in);
      norms[i] += gg * (xx + 1.0);
    }
  }

  @Override
  public String toString() {
    return name + ": dense " + in + " -> " + out;
  }
}
