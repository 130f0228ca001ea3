package dev.cohort.train.layer;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.tensor.kernel.VectorGemm;
import dev.cohort.tensor.kernel.VectorOps;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A 2-D convolution on NCHW batches with stride 1, a square kernel and zero padding, like
 * PyTorch's {@code nn.Conv2d(inC, outC, k, padding=pad)}: weight {@code [outC, inC, k, k]} and
 * bias {@code [outC]}, named {@code <name>.weight} and {@code <name>.bias}.
 *
 * <p>It runs as im2col plus one GEMM over the whole batch: {@code W} ({@code outC x (inC * k *
 * k)}) times the columns {@code X} ({@code (inC * k * k) x (batch * outH * outW)}, channel-major;
 * see {@code ConvColumns}). The columns are kept from the forward pass, so the backward pass needs
 * no recomputation: the weight gradient is {@code G X^T} for the batch, and for example i the same
 * product restricted to that example's {@code outH * outW} columns (one GEMM per example, no
 * re-run at batch size 1). Per-example squared norms go through a per-layer
 * scratch matrix of one example's gradient, since no cheaper exact formula beats that here. Not
 * thread-safe.
 */
public final class Conv2D implements Layer {
  private final String name;
  private final Shape inputShape;
  private final Shape outputShape;
  private final int channels;
  private final int height;
  private final int width;
  private final int outChannels;
  private final int kernel;
  private final int padding;
  private final int outH;
  private final int outW;
  private final int pixels;
  private final int ckk;
  private float[] params;
  private int weightOffset;
  private int biasOffset;
  private int capacity;
  private float[] cols;
  private float[] channelRows;
  private float[] gradCols;
  private Parallelism parallelism = Parallelism.SERIAL;
  private float[][] exampleGrads = new float[1][];

  /**
   * A convolution over inputs of shape {@code [channels, height, width]}.
   *
   * @throws IllegalArgumentException if the input is not rank 3, a size is not positive, or the
   *     kernel does not fit the padded input
   */
  public Conv2D(String name, Shape inputShape, int outChannels, int kernelSize, int padding) {
    this.name = Objects.requireNonNull(name, "name");
    this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    if (inputShape.rank() != 3) {
      throw new IllegalArgumentException(name + ": conv2d needs input [channels, height, width]"
          + " but the input shape is " + inputShape);
    }
    if (outChannels < 1) {
      throw new IllegalArgumentException(name + ": outChannels must be >= 1 but was " + outChannels);
    }
    if (kernelSize < 1) {
      throw new IllegalArgumentException(name + ": kernelSize must be >= 1 but was " + kernelSize);
    }
    if (padding < 0) {
      throw new IllegalArgumentException(name + ": padding must be >= 0 but was " + padding);
    }
    this.channels = inputShape.dim(0);
    this.height = inputShape.dim(1);
    this.width = inputShape.dim(2);
    this.outChannels = outChannels;
    this.kernel = kernelSize;
    this.padding = padding;
    this.outH = height + 2 * padding - kernelSize + 1;
    this.outW = width + 2 * padding - kernelSize + 1;
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException(name + ": a " + kernelSize + "x" + kernelSize
          + " kernel with padding " + padding + " does not fit input " + inputShape);
    }
    this.pixels = outH * outW;
    this.ckk = channels * kernelSize * kernelSize;
    this.outputShape = Shape.of(outChannels, outH, outW);
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
    return outChannels * ckk + outChannels;
  }

  @Override
  public void declareParameters(ParameterLayout.Builder layout) {
    layout.add(name + ".weight", Shape.of(outChannels, channels, kernel, kernel));
    layout.add(name + ".bias", Shape.of(outChannels));
  }

  @Override
  public void bind(ParameterLayout layout, float[] params) {
    this.params = params;
    this.weightOffset = layout.entry(name + ".weight").offset();
    this.biasOffset = layout.entry(name + ".bias").offset();
  }

  @Override
  public void initialize(SplittableRandom rng) {
    Init.kaimingUniform(params, weightOffset, outChannels * ckk, ckk, rng);
    Init.kaimingUniform(params, biasOffset, outChannels, ckk, rng);
  }

  @Override
  public void setParallelism(Parallelism parallelism) {
    this.parallelism = Objects.requireNonNull(parallelism, "parallelism");
    this.exampleGrads = new float[parallelism.threads()][];
  }

  @Override
  public void reserve(int batch) {
    if (batch > capacity) {
      capacity = batch;
      cols = new float[batch * pixels * ckk];
      channelRows = new float[batch * pixels * outChannels];
      gradCols = null;
    }
  }

  @Override
  public void forward(float[] in, float[] out, int batch, boolean training) {
    reserve(batch);
    long work = (long) outChannels * batch * pixels * ckk;
    int parts = parallelism.parts(batch, work);
    int moves = moveParts(batch, work);
    if (moves > 1) {
      int n = batch * pixels;
      Kernels.parallelFor(moves, p -> ConvColumns.im2col(in, batch,
          Parallelism.start(batch, moves, p), Parallelism.start(batch, moves, p + 1), channels,
          height, width, kernel, padding, outH, outW, cols));
      Kernels.gemm().sgemm(false, false, outChannels, n, ckk, 1f,
          params, weightOffset, ckk, cols, 0, n, 0f, channelRows, 0, n);
      Kernels.parallelFor(moves, p -> ConvColumns.toNchw(channelRows, batch,
          Parallelism.start(batch, moves, p), Parallelism.start(batch, moves, p + 1), pixels,
          outChannels, params, biasOffset, out));
    } else if (parts == 1) {
      forwardExamples(in, out, batch, 0, batch);
    } else {
      parallelism.run(parts, p -> forwardExamples(in, out, batch,
          Parallelism.start(batch, parts, p), Parallelism.start(batch, parts, p + 1)));
    }
  }

  private void forwardExamples(float[] in, float[] out, int batch, int from, int to) {
    int n = batch * pixels;
    ConvColumns.im2col(in, batch, from, to, channels, height, width, kernel, padding, outH, outW,
        cols);
    Kernels.gemm().sgemm(false, false, outChannels, (to - from) * pixels, ckk, 1f,
        params, weightOffset, ckk, cols, from * pixels, n, 0f, channelRows, from * pixels, n);
    ConvColumns.toNchw(channelRows, batch, from, to, pixels, outChannels, params, biasOffset, out);
  }

  @Override
  public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int batch,
      GradientSink sink) {
    if (gradIn != null && gradCols == null) {
      gradCols = new float[capacity * pixels * ckk];
    }
    long work = (long) outChannels * batch * pixels * ckk;
    // Input gradients first, for all examples: a fused update (Sum into params) changes W next.
    int parts = parallelism.parts(batch, gradIn == null ? 0 : work);
    int moves = moveParts(batch, work);
    if (moves > 1) {
      int n = batch * pixels;
      Kernels.parallelFor(moves, p -> ConvColumns.fromNchw(gradOut, batch,
          Parallelism.start(batch, moves, p), Parallelism.start(batch, moves, p + 1), outChannels,
          pixels, channelRows));
      if (gradIn != null) {
        Kernels.gemm().sgemm(true, false, ckk, n, outChannels, 1f,
            params, weightOffset, ckk, channelRows, 0, n, 0f, gradCols, 0, n);
        Kernels.parallelFor(moves, p -> ConvColumns.col2im(gradCols, batch,
            Parallelism.start(batch, moves, p), Parallelism.start(batch, moves, p + 1), channels,
            height, width, kernel, padding, outH, outW, gradIn));
      }
    } else if (parts == 1) {
      inputGradient(gradOut, gradIn, batch, 0, batch);
    } else {
      parallelism.run(parts, p -> inputGradient(gradOut, gradIn, batch,
          Parallelism.start(batch, parts, p), Parallelism.start(batch, parts, p + 1)));
    }
    switch (sink) {
      case GradientSink.Sum s -> {
        int sp = parallelism.parts(ckk, work);
        if (sp == 1) {
          sum(batch, s, 0, ckk);
        } else {
          parallelism.run(sp, p -> sum(batch, s, Parallelism.start(ckk, sp, p),
              Parallelism.start(ckk, sp, p + 1)));
        }
      }
      case GradientSink.PerExample pe -> {
        int ep = parallelism.parts(batch, work);
        parallelism.run(ep, p -> {
          for (int i = Parallelism.start(batch, ep, p); i < Parallelism.start(batch, ep, p + 1);
              i++) {
            example(batch, i, pe.rows(), i * pe.rowStride() + weightOffset,
                i * pe.rowStride() + biasOffset);
          }
        });
      }
      case GradientSink.SquaredNorms sq -> {
        // Each example's gradient is a small product, below the size at which a GEMM splits
        // itself: split the examples instead, over the layer's threads or else the kernels'.
        int wn = outChannels * ckk;
        int ep = parallelism.parts(batch, work);
        int spread = ep == 1 ? Math.min(Kernels.intraOpThreads(), batch) : 1;
        int split = Math.max(ep, spread);
        if (exampleGrads.length < split) {
          exampleGrads = java.util.Arrays.copyOf(exampleGrads, split);
        }
        float[][] scratches = exampleGrads;
        java.util.function.IntConsumer body = p -> {
          if (scratches[p] == null) {
            scratches[p] = new float[wn + outChannels];
          }
          float[] scratch = scratches[p];
          for (int i = Parallelism.start(batch, split, p); i < Parallelism.start(batch, split, p + 1);
              i++) {
            example(batch, i, scratch, 0, wn);
            sq.squaredNorms()[i] += VectorOps.sumOfSquares(scratch, 0, wn + outChannels);
          }
        };
        if (spread > 1) {
          Kernels.parallelFor(spread, body);
        } else {
          parallelism.run(ep, body);
        }
      }
    }
  }

  /**
   * How many parts to split the data movement of the whole batch into (im2col, col2im and the
   * layout changes) when the layer itself runs serially but the matrix multiply uses several
   * threads ({@code Kernels.setIntraOpThreads}): those threads then move data too, by examples,
   * while each GEMM still runs once over the whole batch. 1 when the layer splits its own work.
   */
  private int moveParts(int batch, long work) {
    int threads = Kernels.intraOpThreads();
    if (parallelism.threads() > 1 || threads < 2 || work < VectorGemm.PARALLEL_THRESHOLD) {
      return 1;
    }
    return Math.min(threads, batch);
  }

  /** The channel-major output gradient and, if wanted, the input gradient of examples [from, to). */
  private void inputGradient(float[] gradOut, float[] gradIn, int batch, int from, int to) {
    int n = batch * pixels;
    ConvColumns.fromNchw(gradOut, batch, from, to, outChannels, pixels, channelRows);
    if (gradIn != null) {
      Kernels.gemm().sgemm(true, false, ckk, (to - from) * pixels, outChannels, 1f,
          params, weightOffset, ckk, channelRows, from * pixels, n, 0f, gradCols, from * pixels, n);
      ConvColumns.col2im(gradCols, batch, from, to, channels, height, width, kernel, padding,
          outH, outW, gradIn);
    }
  }

  /**
   * Weight-gradient columns [j0, j1) (of {@code inC * k * k}) into the sum sink, and the bias
   * gradient with the part that starts at column 0. Splitting by columns, each part reads its own
   * rows of the im2col matrix.
   */
  private void sum(int batch, GradientSink.Sum s, int j0, int j1) {
    int n = batch * pixels;
    float[] dst = s.dst();
    Kernels.gemm().sgemm(false, true, outChannels, j1 - j0, n, s.alpha(),
        channelRows, 0, n, cols, j0 * n, n, s.accumulate() ? 1f : 0f, dst, weightOffset + j0, ckk);
    if (j0 == 0) {
      for (int c = 0; c < outChannels; c++) {
        float v = s.alpha() * VectorOps.sum(channelRows, c * n, n);
        dst[biasOffset + c] = s.accumulate() ? dst[biasOffset + c] + v : v;
      }
    }
  }

  /** Example i's weight gradient at {@code dst[weightAt]} and bias gradient at {@code dst[biasAt]}. */
  private void example(int batch, int i, float[] dst, int weightAt, int biasAt) {
    int n = batch * pixels;
    Kernels.gemm().sgemm(false, true, outChannels, ckk, pixels, 1f,
        channelRows, i * pixels, n, cols, i * pixels, n, 0f, dst, weightAt, ckk);
    for (int c = 0; c < outChannels; c++) {
      dst[biasAt + c] = VectorOps.sum(channelRows, c * n + i * pixels, pixels);
    }
  }

  @Override
  public String toString() {
    return name + ": conv2d " + inputShape + " -> " + outputShape + " (" + kernel + "x" + kernel
        + ", padding " + padding + ")";
  }
}
