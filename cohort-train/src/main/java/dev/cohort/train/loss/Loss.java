package dev.cohort.train.loss;

/**
 * A per-example loss on a model's output rows, fused with its gradient.
 *
 * <p>{@link #compute} returns the <em>sum</em> of the examples' losses and, when asked, writes each
 * example's own gradient {@code d loss_i / d output_i} (not divided by the batch size): averaging
 * over the batch is the caller's choice, which keeps per-example gradients (DP-SGD) exact.
 *
 * <p>Classification losses read integer labels, regression losses float targets; the other array
 * may be {@code null}. Labels and targets are not range-checked here (datasets check them when
 * built). Implementations are stateless and thread-safe.
 */
public sealed interface Loss permits SoftmaxCrossEntropy, BinaryLogistic, MeanSquaredError {

  /**
   * Softmax cross-entropy over {@code width >= 2} logits (PyTorch's {@code F.cross_entropy}),
   * computed with the log-sum-exp shift so large logits cannot overflow; gradient {@code
   * softmax(z) - onehot(y)}.
   */
  static Loss softmaxCrossEntropy() {
    return SoftmaxCrossEntropy.INSTANCE;
  }

  /**
   * Binary logistic loss on a single logit {@code z} with labels 0 and 1: {@code log(1 + e^z) -
   * y z} (PyTorch's {@code binary_cross_entropy_with_logits}); gradient {@code sigmoid(z) - y}.
   * Predicts class 1 when {@code z > 0}.
   */
  static Loss binaryLogistic() {
    return BinaryLogistic.INSTANCE;
  }

  /**
   * Squared error averaged over an example's {@code width} outputs, {@code (1/width) sum_j (o_j -
   * t_j)^2}, so the batch mean equals PyTorch's {@code F.mse_loss}; gradient {@code 2 (o - t) /
   * width}.
   */
  static Loss meanSquaredError() {
    return MeanSquaredError.INSTANCE;
  }

  /** "cross-entropy", "binary-logistic" or "mse". */
  String name();

  /** Whether this loss takes class labels (and supports {@link #countCorrect}). */
  boolean isClassification();

  /**
   * Throws {@link IllegalArgumentException} if a model with {@code width} outputs cannot use this
   * loss.
   */
  void checkOutputWidth(int width);

  /**
   * The sum over examples {@code [0, batch)} of their losses, given the row-major {@code batch x
   * width} {@code output}. If {@code grad} is not {@code null}, its first {@code batch * width}
   * floats receive each example's gradient with respect to its output row.
   */
  double compute(float[] output, int batch, int width, int[] labels, float[] targets, float[] grad);

  /**
   * How many of examples {@code [0, batch)} are predicted correctly.
   *
   * @throws UnsupportedOperationException for regression losses
   */
  int countCorrect(float[] output, int batch, int width, int[] labels);
}
