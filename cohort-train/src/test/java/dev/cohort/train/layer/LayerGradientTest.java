package dev.cohort.train.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every layer's input and parameter gradients, driving the layer
 * directly. The checked scalar is {@code f = sum_j r_j out_j} for a fixed random upstream gradient
 * {@code r}, accumulated in double, so {@code backward(r)} must return {@code df/dx} and {@code
 * df/dw}.
 *
 * <p>Central differences with step {@code h = 1e-2} on float32 activations: rounding contributes
 * about {@code 1e-6 / (2h) = 5e-5} and curvature (tanh) about {@code h^2}, so each coordinate must
 * agree within {@code 1e-3 + 1e-2 * |numeric|}. Inputs of the piecewise-linear layers (ReLU, max
 * pooling) are kept at least {@code 5h} away from their kinks and ties, where the derivative is
 * undefined. Every input and parameter coordinate is checked (the layers are tiny).
 */
class LayerGradientTest {
  private static final float H = 1e-2f;

  /* --- layers with parameters --- */

  @Test
  void dense_gradients_matchFiniteDifferences() {
    check(new Dense("dense0", Shape.of(7), 5), smooth(3 * 7, 1));
  }

  @Test
  void dense_onImageInput_readsItFlat() {
    check(new Dense("dense0", Shape.of(2, 3, 2), 4), smooth(2 * 12, 2));
  }

  @Test
  void conv2d_withPadding_gradientsMatchFiniteDifferences() {
    check(new Conv2D("conv0", Shape.of(2, 5, 6), 3, 3, 1), smooth(2 * 60, 3));
  }

  @Test
  void conv2d_withoutPadding_gradientsMatchFiniteDifferences() {
    check(new Conv2D("conv0", Shape.of(3, 6, 5), 2, 5, 0), smooth(2 * 90, 4));
  }

  @Test
  void conv2d_paddingWiderThanKernelReach_gradientsMatchFiniteDifferences() {
    check(new Conv2D("conv0", Shape.of(1, 4, 4), 2, 5, 2), smooth(3 * 16, 5));
  }

  /* --- parameter-free layers --- */

  @Test
  void relu_gradient_matchesFiniteDifferences() {
    check(new ReLU("relu0", Shape.of(3, 4)), awayFromZero(2 * 12, 6));
  }

  @Test
  void tanh_gradient_matchesFiniteDifferences() {
    check(new Tanh("tanh0", Shape.of(10)), smooth(3 * 10, 7));
  }

  @Test
  void maxPool2d_gradient_matchesFiniteDifferences() {
    // 5x7 planes: the odd last row and column are dropped, so their gradient must be 0.
    check(new MaxPool2D("pool0", Shape.of(2, 5, 7)), distinct(2 * 70, 8));
  }

  @Test
  void flatten_gradient_isIdentity() {
    check(new Flatten("flatten0", Shape.of(2, 3, 3)), smooth(2 * 18, 9));
  }

  @Test
  void dropout_gradient_matchesFiniteDifferencesForAFixedMask() {
    check(new Dropout("dropout0", Shape.of(20), 0.4, 11), smooth(3 * 20, 10));
  }

  /* --- harness --- */

  /** Checks input and parameter gradients of {@code layer} on the batch {@code x}. */
  static void check(Layer layer, float[] x) {
    int in = layer.inputShape().size();
    int out = layer.outputShape().size();
    int batch = x.length / in;
    ParameterLayout.Builder lb = ParameterLayout.builder();
    layer.declareParameters(lb);
    ParameterLayout layout = lb.build();
    float[] params = new float[layout.totalSize()];
    layer.bind(layout, params);
    layer.initialize(new SplittableRandom(42));
    layer.reserve(batch);
    SplittableRandom rng = new SplittableRandom(7);
    float[] r = new float[batch * out];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    float[] y = new float[batch * out];
    float[] gradIn = new float[batch * in];
    float[] grads = new float[params.length];
    forward(layer, x, y, batch);
    layer.backward(x, y, r.clone(), gradIn, batch, new GradientSink.Sum(grads, 1f, false));

    for (int i = 0; i < x.length; i++) {
      float saved = x[i];
      x[i] = saved + H;
      double plus = objective(layer, x, r, batch);
      x[i] = saved - H;
      double minus = objective(layer, x, r, batch);
      x[i] = saved;
      assertClose(layer.name() + " input " + i, gradIn[i], (plus - minus) / (2 * H));
    }
    for (int p = 0; p < params.length; p++) {
      float saved = params[p];
      params[p] = saved + H;
      double plus = objective(layer, x, r, batch);
      params[p] = saved - H;
      double minus = objective(layer, x, r, batch);
      params[p] = saved;
      assertClose(layer.name() + " parameter " + p, grads[p], (plus - minus) / (2 * H));
    }
  }

  private static void forward(Layer layer, float[] x, float[] y, int batch) {
    if (layer instanceof Dropout d) {
      d.reseed(99);
    }
    layer.forward(x, y, batch, true);
  }

  private static double objective(Layer layer, float[] x, float[] r, int batch) {
    float[] y = new float[r.length];
    forward(layer, x, y, batch);
    double f = 0;
    for (int j = 0; j < y.length; j++) {
      f += (double) r[j] * y[j];
    }
    return f;
  }

  static void assertClose(String what, double analytic, double numeric) {
    assertThat(Math.abs(analytic - numeric))
        .as("%s: analytic %s vs numeric %s", what, analytic, numeric)
        .isLessThanOrEqualTo(1e-3 + 1e-2 * Math.abs(numeric));
  }

  static float[] smooth(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return x;
  }

  /** Values of magnitude in [0.05, 1], at least 5h from ReLU's kink. */
  static float[] awayFromZero(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      float m = (float) (0.05 + 0.95 * rng.nextDouble());
      x[i] = rng.nextBoolean() ? m : -m;
    }
    return x;
  }

  /** A random permutation of a grid with spacing 0.05, so no two values are within 5h. */
  static float[] distinct(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i - n / 2) * 0.05f;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      float t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }
}
