package dev.cohort.train.layer;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import java.util.SplittableRandom;

/**
 * One stage of a model: a differentiable map from a batch of inputs of {@link #inputShape()} to a
 * batch of outputs of {@link #outputShape()} (per-example shapes; a batch is the row-major
 * concatenation of its examples).
 *
 * <p>This is the engine's contract between {@code dev.cohort.train.Model} and its layers; user
 * code builds models through {@code Model.builder(...)} or {@code ModelSpec} and rarely calls
 * these methods itself. The model calls them in this order:
 *
 * <ol>
 *   <li>{@link #declareParameters} once, appending the layer's tensors to the model's layout;
 *   <li>{@link #bind} once, handing over the model's single parameter array;
 *   <li>{@link #initialize} to draw initial weights (skipped when parameters are loaded);
 *   <li>{@link #reserve} whenever the batch size grows, to size scratch buffers;
 *   <li>{@link #forward}, then any number of {@link #backward} passes for that same batch.
 * </ol>
 *
 * <p>Layers keep activation-dependent scratch (im2col columns, pooling indices, dropout masks)
 * from {@code forward} for {@code backward}, so a layer, like its model, is not thread-safe. The
 * activations passed to {@code backward} must be those of the latest {@code forward}.
 */
public sealed interface Layer permits Dense, Conv2D, MaxPool2D, ReLU, Tanh, Flatten, Dropout {

  /** A short name for reports and the prefix of this layer's parameter names, e.g. "dense0". */
  String name();

  /** The shape of one input example. */
  Shape inputShape();

  /** The shape of one output example. */
  Shape outputShape();

  /** The number of trainable floats this layer owns (0 for parameter-free layers). */
  default int parameterCount() {
    return 0;
  }

  /** Appends this layer's parameter tensors, named {@code name() + ".weight"} etc., to the layout. */
  default void declareParameters(ParameterLayout.Builder layout) {}

  /** Remembers {@code params} (the model's whole parameter array) and this layer's offsets in it. */
  default void bind(ParameterLayout layout, float[] params) {}

  /** Draws this layer's initial parameters from {@code rng}. */
  default void initialize(SplittableRandom rng) {}

  /** Lets this layer split its heavy operations over threads (serial by default). */
  default void setParallelism(Parallelism parallelism) {}

  /** Sizes scratch buffers for batches of up to {@code batch} examples. */
  default void reserve(int batch) {}

  /**
   * Whether {@link #forward} and {@link #backward} may run with {@code out == in} and {@code gradIn
   * == gradOut} (element-wise layers), which saves a buffer and a memory pass.
   */
  default boolean canRunInPlace() {
    return false;
  }

  /** Whether {@link #backward} reads {@code out}, which forbids a following layer to overwrite it. */
  default boolean backwardReadsOutput() {
    return false;
  }

  /**
   * Computes {@code out} (batch x output size) from {@code in} (batch x input size).
   *
   * @param training whether this is a training pass (dropout is active only then)
   */
  void forward(float[] in, float[] out, int batch, boolean training);

  /**
   * Given {@code gradOut}, the gradient of the (per-example) losses with respect to this layer's
   * output, writes the gradient with respect to its input into {@code gradIn} (unless it is {@code
   * null}, which the model passes for the first trainable layer) and its parameter gradients into
   * {@code sink}. {@code in} and {@code out} are the arrays of the latest forward pass. Layers
   * without parameters ignore {@code sink}. {@code gradOut} is not modified unless {@code gradIn ==
   * gradOut} (an in-place layer).
   */
  void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int batch,
      GradientSink sink);
}
