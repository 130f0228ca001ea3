package dev.cohort.train;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.kernel.VectorOps;
import dev.cohort.train.layer.Dropout;
import dev.cohort.train.layer.GradientSink;
import dev.cohort.train.layer.Layer;
import dev.cohort.train.layer.Parallelism;
import dev.cohort.train.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A trainable model: an ordered stack of {@link Layer}s and a {@link Loss}, with all parameters in
 * one {@link ParameterSet} over a single {@code float[]} and all gradients in a second array of the
 * same layout. {@link #parameters()} is the whole model without copying, and loading a global
 * model is one array copy ({@link #loadParameters}).
 *
 * <p>Build one with {@link #builder} or {@code ModelSpec.build}. A training step is:
 *
 * <pre>{@code
 * float[] out = model.forward(batch.features(), batch.size(), true);
 * double lossSum = model.lossAndGradient(batch);   // per-example loss gradients, kept
 * model.backward(GradientMode.MEAN);               // model.gradients() = mean-loss gradient
 * optimizer.step(model.parameters().data(), model.gradients().data());
 * }</pre>
 *
 * For DP-SGD, {@code backward(PER_EXAMPLE_NORMS)} followed by {@code backward(SUM, clipFactors)}
 * reuses the same forward pass and loss gradient; see {@link GradientMode}.
 *
 * <p>Activation and gradient buffers are allocated for the largest batch seen so far and reused,
 * so steady-state training allocates nothing. A model is not thread-safe: use one per thread
 * ({@link #copy()}).
 */
public final class Model {
  private final ModelBuilder.Recipe recipe;
  private final Shape inputShape;
  private final List<Layer> layers;
  private final Loss loss;
  private final ParameterLayout layout;
  private final float[] params;
  private final float[] grads;
  private final ParameterSet parameterSet;
  private final ParameterSet gradientSet;
  private final int firstTrainable;
  private final int outputSize;
  private final PerExampleGradients perExample;
  private final long[] forwardNanos;
  private final long[] backwardNanos;
  private boolean profiling;
  private int threads = 1;
  private Buffers buffers;
  private final GradientSink.Sum sumSink;
  private GradientSink.Sum descent;
  private float[] input;
  private int batch;
  private boolean lossReady;
  /** Whether the deltas hold the latest forward pass's unweighted output gradients of a PER_EXAMPLE_NORMS pass. */
  private boolean normDeltas;

  Model(ModelBuilder.Recipe recipe, long seed) {
    this.recipe = recipe;
    this.inputShape = recipe.inputShape();
    this.loss = recipe.loss();
    this.layers = recipe.instantiate(seed);
    ParameterLayout.Builder lb = ParameterLayout.builder();
    int first = layers.size();
    for (int l = 0; l < layers.size(); l++) {
      layers.get(l).declareParameters(lb);
      if (first == layers.size() && layers.get(l).parameterCount() > 0) {
        first = l;
      }
    }
    this.firstTrainable = first;
    this.layout = lb.build();
    this.params = new float[layout.totalSize()];
    this.grads = new float[layout.totalSize()];
    this.parameterSet = ParameterSet.wrap(layout, params);
    this.gradientSet = ParameterSet.wrap(layout, grads);
    this.sumSink = new GradientSink.Sum(grads, 1f, false);
    SplittableRandom rng = new SplittableRandom(seed);
    for (Layer layer : layers) {
      layer.bind(layout, params);
      layer.initialize(rng);
    }
    this.outputSize = layers.getLast().outputShape().size();
    loss.checkOutputWidth(outputSize);
    this.perExample = new PerExampleGradients(layout);
    this.forwardNanos = new long[layers.size()];
    this.backwardNanos = new long[layers.size()];
    this.buffers = Buffers.none(layers.size());
  }

  /** A builder for a custom stack on inputs of {@code inputShape} (one example). */
  public static ModelBuilder builder(Shape inputShape) {
    return new ModelBuilder(inputShape);
  }

  /** The shape of one input example. */
  public Shape inputShape() {
    return inputShape;
  }

  /** The shape of one output example. */
  public Shape outputShape() {
    return layers.getLast().outputShape();
  }

  /** The layers, first to last (unmodifiable; the layers are live). */
  public List<Layer> layers() {
    return layers;
  }

  public Loss loss() {
    return loss;
  }

  /** The parameter layout: names like {@code conv0.weight} with PyTorch-style shapes. */
  public ParameterLayout layout() {
    return layout;
  }

  /** The number of trainable floats. */
  public int parameterCount() {
    return params.length;
  }

  /** All parameters over the model's live array: writes change the model. */
  public ParameterSet parameters() {
    return parameterSet;
  }

  /** The gradients of the latest {@code SUM} or {@code MEAN} backward pass (live array). */
  public ParameterSet gradients() {
    return gradientSet;
  }

  /** The result of the latest per-example backward pass (a live view). */
  public PerExampleGradients perExampleGradients() {
    return perExample;
  }

  /**
   * Overwrites the parameters with {@code source}'s (one array copy).
   *
   * @throws IllegalArgumentException naming the first difference if the layouts differ
   */
  public void loadParameters(ParameterSet source) {
    parameterSet.copyFrom(source);
  }

  /**
   * A new model of the same architecture and loss with a copy of this one's parameters and its own
   * buffers, for another thread. It runs single-threaded ({@link #setThreads}) until told otherwise.
   */
  public Model copy() {
    Model m = new Model(recipe, 0);
    System.arraycopy(params, 0, m.params, 0, params.length);
    return m;
  }

  /**
   * Lets convolution and dense layers split each large operation over up to {@code threads}
   * threads (1, the default, runs everything on the caller): forward passes and input gradients
   * by examples, weight gradients by output rows, each part with its own single-threaded matrix
   * multiply. Use it with {@code Kernels.setIntraOpThreads(1)}; when several models train in
   * parallel, leave both at 1. Results are reproducible bit for bit for a given thread count.
   *
   * @throws IllegalArgumentException if {@code threads} is not in {@code [1, 64]}
   */
  public void setThreads(int threads) {
    Parallelism p = Parallelism.of(threads);
    for (Layer layer : layers) {
      layer.setParallelism(p);
    }
    this.threads = threads;
  }

  /** The thread count set by {@link #setThreads} (1 by default). */
  public int threads() {
    return threads;
  }

  /** Restarts every dropout layer's mask stream from seeds derived from {@code seed}. */
  public void reseed(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (Layer layer : layers) {
      if (layer instanceof Dropout d) {
        d.reseed(rng.nextLong());
      }
    }
  }

  /** Sizes every buffer for batches of up to {@code batchSize}; {@link #forward} calls it too. */
  public void reserve(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
    }
    if (batchSize > buffers.capacity) {
      buffers = Buffers.plan(layers, firstTrainable, outputSize, batchSize);
      input = null;
      lossReady = false;
    }
  }

  /**
   * Runs the layers on {@code batch} examples of {@code x} (row-major, not copied, and kept for
   * the backward pass: do not modify it before then) and returns the output buffer, whose first
   * {@code batch * outputShape().size()} floats are valid until the next forward pass.
   *
   * @param training whether dropout is active
   */
  public float[] forward(float[] x, int batch, boolean training) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1 but was " + batch);
    }
    if (x.length < batch * inputShape.size()) {
      throw new IllegalArgumentException("x has " + x.length + " floats but " + batch
          + " examples of shape " + inputShape + " need " + batch * inputShape.size());
    }
    reserve(batch);
    perExample.invalidate();
    normDeltas = false;
    this.input = x;
    this.batch = batch;
    this.lossReady = false;
    float[][] acts = buffers.acts;
    for (int l = 0; l < layers.size(); l++) {
      long t0 = profiling ? System.nanoTime() : 0;
      layers.get(l).forward(activation(l), acts[l + 1], batch, training);
      if (profiling) {
        forwardNanos[l] += System.nanoTime() - t0;
      }
    }
    return acts[layers.size()];
  }

  /**
   * Computes the loss of the latest forward pass against {@code batch}'s labels or targets, keeps
   * each example's loss gradient for {@link #backward}, and returns the sum of the examples'
   * losses (divide by {@code batch.size()} for the mean).
   *
   * @throws IllegalStateException if {@code batch.size()} is not the forward pass's batch size
   */
  public double lossAndGradient(Batch batch) {
    checkForward(batch.size());
    double sum = loss.compute(buffers.acts[layers.size()], this.batch, outputSize, batch.labels(),
        batch.targets(), buffers.lossGrad);
    lossReady = true;
    return sum;
  }

  /** {@link #backward(GradientMode, float[])} with every example weight 1. */
  public void backward(GradientMode mode) {
    backward(mode, null);
  }

  /**
   * Back-propagates the loss gradient kept by {@link #lossAndGradient}, multiplying example i's by
   * {@code exampleWeights[i]} first when the weights are not {@code null}. Where the result goes
   * depends on {@code mode}. Can be repeated for the same forward pass (e.g. norms, then a
   * weighted sum).
   *
   * @throws IllegalStateException if no loss gradient was computed since the latest forward pass
   */
  public void backward(GradientMode mode, float[] exampleWeights) {
    if (!lossReady) {
      throw new IllegalStateException("backward needs lossAndGradient(batch) after forward");
    }
    propagate(buffers.lossGrad, mode, exampleWeights, null);
  }

  /**
   * Back-propagates an explicit gradient of the per-example losses with respect to the latest
   * forward pass's output ({@code batch x outputShape().size()}), for losses computed outside the
   * model. Weights as in {@link #backward(GradientMode, float[])}.
   */
  public void backward(float[] outputGrad, GradientMode mode, float[] exampleWeights) {
    checkForward(batch);
    if (outputGrad.length < batch * outputSize) {
      throw new IllegalArgumentException("outputGrad has " + outputGrad.length + " floats but "
          + batch + " x " + outputSize + " are needed");
    }
    propagate(outputGrad, mode, exampleWeights, null);
  }

  /**
   * Plain SGD fused into the backward pass: {@code w -= learningRate * meanGradient}, each layer
   * updating its weights right after using them for its input gradient. Saves writing and reading
   * back {@link #gradients()}, which is left untouched.
   */
  void backwardDescend(float learningRate) {
    if (!lossReady) {
      throw new IllegalStateException("backward needs lossAndGradient(batch) after forward");
    }
    if (descent == null || descent.alpha() != -learningRate) {
      descent = new GradientSink.Sum(params, -learningRate, true);
    }
    propagate(buffers.lossGrad, GradientMode.MEAN, null, descent);
  }

  /**
   * After {@code backward(PER_EXAMPLE_NORMS)} (unweighted): the same gradient as
   * {@code backward(SUM, exampleWeights)}, computed from that pass's per-layer output gradients
   * scaled example by example. Back-propagation is linear in each example's loss gradient once the
   * forward pass is fixed, so no input gradient is computed a second time: DP-SGD's clipped sum
   * costs the weight gradients alone. Consumes the norms pass (call the norms pass again to repeat).
   *
   * @throws IllegalStateException unless the latest backward pass on the latest forward pass was an
   *     unweighted PER_EXAMPLE_NORMS pass
   */
  public void backwardScaledSum(float[] exampleWeights) {
    if (!normDeltas) {
      throw new IllegalStateException("backwardScaledSum needs an unweighted backward(PER_EXAMPLE_NORMS) on the "
          + "latest forward pass, with no other backward pass in between");
    }
    if (exampleWeights.length < batch) {
      throw new IllegalArgumentException(
          "exampleWeights has " + exampleWeights.length + " entries but the batch has " + batch);
    }
    normDeltas = false;
    for (int l = layers.size() - 1; l >= firstTrainable; l--) {
      Layer layer = layers.get(l);
      if (layer.parameterCount() == 0) {
        continue;
      }
      // A parameter layer never runs in place, so no other parameter layer shares this buffer.
      float[] d = buffers.deltas[l + 1];
      int width = layer.outputShape().size();
      for (int i = 0; i < batch; i++) {
        VectorOps.scale(exampleWeights[i], d, i * width, width);
      }
      long t0 = profiling ? System.nanoTime() : 0;
      layer.backward(activation(l), buffers.acts[l + 1], d, null, batch, sumSink);
      if (profiling) {
        backwardNanos[l] += System.nanoTime() - t0;
      }
    }
  }

  private void propagate(float[] upstream, GradientMode mode, float[] weights, GradientSink fused) {
    normDeltas = false;
    if (weights != null && weights.length < batch) {
      throw new IllegalArgumentException(
          "exampleWeights has " + weights.length + " entries but the batch has " + batch);
    }
    int n = layers.size();
    float[][] acts = buffers.acts;
    float[][] deltas = buffers.deltas;
    float[] top = deltas[n];
    float scale = mode == GradientMode.MEAN ? 1f / batch : 1f;
    for (int i = 0; i < batch; i++) {
      float c = weights == null ? scale : scale * weights[i];
      int row = i * outputSize;
      for (int j = row; j < row + outputSize; j++) {
        top[j] = c * upstream[j];
      }
    }
    GradientSink sink = fused != null ? fused : switch (mode) {
      case SUM, MEAN -> sumSink;
      case PER_EXAMPLE -> new GradientSink.PerExample(perExample.rowsFor(batch), params.length);
      case PER_EXAMPLE_NORMS -> new GradientSink.SquaredNorms(perExample.normsFor(batch));
    };
    for (int l = n - 1; l >= firstTrainable; l--) {
      long t0 = profiling ? System.nanoTime() : 0;
      float[] gradIn = l > firstTrainable ? deltas[l] : null;
      layers.get(l).backward(activation(l), acts[l + 1], deltas[l + 1], gradIn, batch, sink);
      if (profiling) {
        backwardNanos[l] += System.nanoTime() - t0;
      }
    }
    if (mode == GradientMode.PER_EXAMPLE && fused == null) {
      double[] norms = perExample.normsFor(batch);
      float[] rows = perExample.rowsFor(batch);
      for (int i = 0; i < batch; i++) {
        norms[i] = VectorOps.sumOfSquares(rows, i * params.length, params.length);
      }
      perExample.publish(batch, true);
    } else if (mode == GradientMode.PER_EXAMPLE_NORMS) {
      perExample.publish(batch, false);
      normDeltas = fused == null && weights == null;
    }
  }

  private float[] activation(int l) {
    return l == 0 ? input : buffers.acts[l];
  }

  private void checkForward(int size) {
    if (input == null) {
      throw new IllegalStateException("no forward pass since the buffers were (re)allocated");
    }
    if (size != batch) {
      throw new IllegalStateException(
          "the batch has " + size + " examples but the latest forward pass had " + batch);
    }
  }

  /** Turns per-layer timing of forward and backward passes on or off (off by default). */
  public void setProfiling(boolean on) {
    this.profiling = on;
  }

  /** Per-layer time accumulated while profiling was on, and clears it. */
  public List<LayerTiming> takeProfile() {
    List<LayerTiming> out = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      out.add(new LayerTiming(layers.get(l).name(), forwardNanos[l], backwardNanos[l]));
      forwardNanos[l] = 0;
      backwardNanos[l] = 0;
    }
    return out;
  }

  /** A multi-line summary: one line per layer with its parameter count, then the total. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    for (Layer layer : layers) {
      sb.append(layer).append(layer.parameterCount() > 0 ? "  (" + layer.parameterCount()
          + " parameters)" : "").append('\n');
    }
    return sb.append("loss ").append(loss.name()).append(", ").append(params.length)
        .append(" parameters").toString();
  }

  @Override
  public String toString() {
    return "Model[" + inputShape + " -> " + outputShape() + ", " + layers.size() + " layers, "
        + params.length + " parameters, " + loss.name() + "]";
  }
}
