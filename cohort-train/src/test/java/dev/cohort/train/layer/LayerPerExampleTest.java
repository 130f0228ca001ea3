package dev.cohort.train.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The three gradient sinks of the layers with parameters, driven directly: per-example rows sum to
 * the batch gradient, squared norms equal the rows' squared norms, and a sum sink with {@code
 * alpha} and {@code accumulate} scales and adds. Tolerances as in the model-level tests: entries
 * within {@code 1e-5 + 1e-4 * sum_i |row_i[p]|}, norms within a relative 1e-4.
 */
class LayerPerExampleTest {
  private static final int B = 4;

  @Test
  void dense_perExampleRows_sumToBatchGradient() {
    check(new Dense("dense0", Shape.of(9), 6));
  }

  @Test
  void conv2d_perExampleRows_sumToBatchGradient() {
    check(new Conv2D("conv0", Shape.of(3, 7, 6), 4, 3, 1));
  }

  @Test
  void dense_sumSinkWithAlphaAndAccumulate_scalesAndAdds() {
    Layer layer = new Dense("dense0", Shape.of(5), 3);
    Fixture f = new Fixture(layer);
    float[] plain = new float[f.params.length];
    layer.backward(f.x, f.y, f.g, null, B, new GradientSink.Sum(plain, 1f, false));
    float[] acc = new float[f.params.length];
    java.util.Arrays.fill(acc, 2f);
    layer.backward(f.x, f.y, f.g, null, B, new GradientSink.Sum(acc, -0.5f, true));
    for (int p = 0; p < acc.length; p++) {
      assertThat(acc[p]).isCloseTo(2f - 0.5f * plain[p], org.assertj.core.api.Assertions.within(1e-5f));
    }
  }

  private static void check(Layer layer) {
    Fixture f = new Fixture(layer);
    int p = f.params.length;
    float[] sum = new float[p];
    layer.backward(f.x, f.y, f.g, null, B, new GradientSink.Sum(sum, 1f, false));
    float[] rows = new float[B * p];
    layer.backward(f.x, f.y, f.g, null, B, new GradientSink.PerExample(rows, p));
    double[] norms = new double[B];
    layer.backward(f.x, f.y, f.g, null, B, new GradientSink.SquaredNorms(norms));
    for (int j = 0; j < p; j++) {
      double s = 0;
      double scale = 0;
      for (int i = 0; i < B; i++) {
        s += rows[i * p + j];
        scale += Math.abs(rows[i * p + j]);
      }
      assertThat(Math.abs(s - sum[j])).as("parameter %d", j).isLessThanOrEqualTo(1e-5 + 1e-4 * scale);
    }
    for (int i = 0; i < B; i++) {
      double direct = 0;
      for (int j = 0; j < p; j++) {
        direct += (double) rows[i * p + j] * rows[i * p + j];
      }
      assertThat(norms[i]).as("example %d", i).isCloseTo(direct, withinPercentage(1e-2));
    }
  }

  /** A bound layer after one forward pass on random inputs, with a random output gradient. */
  private static final class Fixture {
    final float[] params;
    final float[] x;
    final float[] y;
    final float[] g;

    Fixture(Layer layer) {
      ParameterLayout.Builder lb = ParameterLayout.builder();
      layer.declareParameters(lb);
      ParameterLayout layout = lb.build();
      params = new float[layout.totalSize()];
      layer.bind(layout, params);
      layer.initialize(new SplittableRandom(1));
      layer.reserve(B);
      x = LayerGradientTest.smooth(B * layer.inputShape().size(), 2);
      y = new float[B * layer.outputShape().size()];
      g = LayerGradientTest.smooth(y.length, 3);
      layer.forward(x, y, B, true);
    }
  }
}
