package dev.cohort.train;

/**
 * What a backward pass computes ({@link Model#backward(GradientMode)}). Let {@code g_i} be the
 * gradient of example i's own loss with respect to all parameters, optionally multiplied by a
 * per-example weight {@code c_i} ({@link Model#backward(GradientMode, float[])}).
 *
 * <p>Because {@code g_i} is linear in the upstream gradient, weighting the loss gradient of each
 * example before the pass gives {@code sum_i c_i g_i} in a single backward pass. With {@link
 * #PER_EXAMPLE_NORMS} first and a weighted {@link #SUM} second, that is DP-SGD with per-example
 * clipping (Abadi et al. 2016) at about twice the cost of plain training ("ghost clipping").
 */
public enum GradientMode {
  /** {@link Model#gradients()} receives {@code sum_i c_i g_i} (weights default to 1). */
  SUM,
  /**
   * {@link Model#gradients()} receives {@code (1/B) sum_i c_i g_i}, the gradient of the batch's
   * mean loss when the weights are 1: what plain training steps on.
   */
  MEAN,
  /**
   * {@link Model#perExampleGradients()} receives every {@code c_i g_i} as row i of a {@code B x P}
   * matrix in the model's parameter layout, and their squared norms. {@link Model#gradients()} is
   * not touched.
   */
  PER_EXAMPLE,
  /**
   * {@link Model#perExampleGradients()} receives every {@code ||c_i g_i||^2} without forming the
   * rows: exactly for dense layers ({@code ||delta_i||^2 (||x_i||^2 + 1)}), through one example's
   * gradient at a time for convolutions. {@link Model#gradients()} is not touched.
   */
  PER_EXAMPLE_NORMS
}
