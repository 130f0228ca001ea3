package dev.cohort.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole-model gradient checks of every built-in model at small sizes: the summed loss of a batch
 * of 3, evaluated in double from the float32 forward pass, against the {@code SUM} backward pass.
 *
 * <p>Per parameter tensor, the derivative along a unit direction {@code d} (half the normalised
 * analytic gradient, half random) and along 6 random coordinates is compared with the central
 * difference {@code (f(w + h d) - f(w - h d)) / 2h}. They must agree within {@code 2e-3 + 2e-2 *
 * |numeric|}. ReLU and max pooling make the loss piecewise smooth, and a step that crosses a kink
 * (an argmax switch between two nearly equal pool inputs, a pre-activation near 0) gives a wrong
 * difference, so the step starts at {@code h = 1e-2} and is shrunk (to at least {@code 5e-4})
 * until two successive differences agree: only then is the function smooth at that scale. The
 * loss's float32 rounding noise (about {@code 1e-7}) keeps even the smallest step's error near
 * {@code 1e-4}.
 */
class ModelGradientTest {
  private static final double H = 1e-2;

  @Test
  void logistic_multinomial_gradientsMatchFiniteDifferences() {
    check(ModelSpec.logistic().build(Shape.of(1, 4, 4), 3, 1), TestData.labelled(Shape.of(1, 4, 4), 3, 3, 2));
  }

  @Test
  void logistic_binary_gradientsMatchFiniteDifferences() {
    check(ModelSpec.logistic().build(Shape.of(6), 2, 1), TestData.labelled(Shape.of(6), 3, 2, 2));
  }

  @Test
  void linear_gradientsMatchFiniteDifferences() {
    check(ModelSpec.linear().build(Shape.of(5), 2, 1), TestData.regression(Shape.of(5), 3, 2, 2));
  }

  @Test
  void mlp_relu_gradientsMatchFiniteDifferences() {
    check(ModelSpec.mlp(List.of(8, 6), "relu").build(Shape.of(12), 4, 1),
        TestData.labelled(Shape.of(12), 3, 4, 2));
  }

  @Test
  void mlp_tanh_gradientsMatchFiniteDifferences() {
    check(ModelSpec.mlp(List.of(8, 6), "tanh").build(Shape.of(1, 3, 4), 4, 1),
        TestData.labelled(Shape.of(1, 3, 4), 3, 4, 2));
  }

  @Test
  void cnn_relu_gradientsMatchFiniteDifferences() {
    check(ModelSpec.cnn("relu").build(Shape.of(2, 8, 8), 3, 1), TestData.labelled(Shape.of(2, 8, 8), 3, 3, 2));
  }

  @Test
  void cnn_tanh_gradientsMatchFiniteDifferences() {
    check(ModelSpec.cnn("tanh").build(Shape.of(1, 6, 6), 3, 1), TestData.labelled(Shape.of(1, 6, 6), 3, 3, 2));
  }

  @Test
  void simpleCnn_relu_gradientsMatchFiniteDifferences() {
    check(ModelSpec.simpleCnn("relu").build(Shape.of(2, 16, 16), 3, 1),
        TestData.labelled(Shape.of(2, 16, 16), 3, 3, 2));
  }

  @Test
  void simpleCnn_tanh_gradientsMatchFiniteDifferences() {
    check(ModelSpec.simpleCnn("tanh").build(Shape.of(1, 17, 16), 3, 1),
        TestData.labelled(Shape.of(1, 17, 16), 3, 3, 2));
  }

  @Test
  void customStackWithDropout_gradientsMatchFiniteDifferences() {
    Model m = Model.builder(Shape.of(10)).dense(12).tanh().dropout(0.3).dense(3)
        .loss(dev.cohort.train.loss.Loss.softmaxCrossEntropy()).build(5);
    check(m, TestData.labelled(Shape.of(10), 3, 3, 2));
  }

  static void check(Model model, Batch batch) {
    float[] w = model.parameters().data();
    double f0 = loss(model, batch);
    model.backward(GradientMode.SUM);
    float[] g = model.gradients().data().clone();
    assertThat(f0).isFinite();
    SplittableRandom rng = new SplittableRandom(17);
    for (ParameterLayout.Entry e : model.layout().entries()) {
      int off = e.offset();
      int n = e.size();
      double[] d = direction(g, off, n, rng);
      double analytic = 0;
      for (int i = 0; i < n; i++) {
        analytic += g[off + i] * d[i];
      }
      float[] saved = java.util.Arrays.copyOfRange(w, off, off + n);
      double numeric = stableDifference(t -> {
        for (int i = 0; i < n; i++) {
          w[off + i] = (float) (saved[i] + t * d[i]);
        }
        double f = loss(model, batch);
        System.arraycopy(saved, 0, w, off, n);
        return f;
      });
      assertClose(model + " " + e.name() + " along d", analytic, numeric);
      for (int k = 0; k < Math.min(n, 6); k++) {
        int i = off + rng.nextInt(n);
        float s = w[i];
        double coordinate = stableDifference(t -> {
          w[i] = (float) (s + t);
          double f = loss(model, batch);
          w[i] = s;
          return f;
        });
        assertClose(model + " " + e.name() + "[" + (i - off) + "]", g[i], coordinate);
      }
    }
  }

  /** The central difference of {@code f} at 0, at the largest step where halving it agrees. */
  private static double stableDifference(java.util.function.DoubleUnaryOperator f) {
    double previous = Double.NaN;
    for (double h = H; h >= 5e-4; h /= 2) {
      double fd = (f.applyAsDouble(h) - f.applyAsDouble(-h)) / (2 * h);
      if (Math.abs(fd - previous) <= 5e-4 + 5e-3 * Math.abs(fd)) {
        return fd;
      }
      previous = fd;
    }
    return previous;
  }

  private static double[] direction(float[] g, int off, int n, SplittableRandom rng) {
    double gn = 0;
    double rn = 0;
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      gn += (double) g[off + i] * g[off + i];
      r[i] = rng.nextGaussian();
      rn += r[i] * r[i];
    }
    double[] d = new double[n];
    double dn = 0;
    for (int i = 0; i < n; i++) {
      d[i] = (gn > 0 ? g[off + i] / Math.sqrt(gn) : 0) + r[i] / Math.sqrt(rn);
      dn += d[i] * d[i];
    }
    for (int i = 0; i < n; i++) {
      d[i] /= Math.sqrt(dn);
    }
    return d;
  }

  private static double loss(Model model, Batch batch) {
    model.reseed(3);
    model.forward(batch.features(), batch.size(), true);
    return model.lossAndGradient(batch);
  }

  private static void assertClose(String what, double analytic, double numeric) {
    assertThat(Math.abs(analytic - numeric))
        .as("%s: analytic %s vs numeric %s", what, analytic, numeric)
        .isLessThanOrEqualTo(2e-3 + 2e-2 * Math.abs(numeric));
  }
}
