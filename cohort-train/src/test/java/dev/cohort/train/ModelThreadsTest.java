package dev.cohort.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.Shape;
import dev.cohort.train.optim.OptimizerSpec;
import org.junit.jupiter.api.Test;

/**
 * Layers split over threads ({@link Model#setThreads}) compute what the serial layers compute. The
 * shapes are McMahan et al.'s, large enough that every convolution and the first dense layer
 * actually split. Parts run different matrix-multiply calls, so values may differ in the last
 * bits: entries must agree within {@code 1e-5 + 1e-4 * |serial|}.
 */
class ModelThreadsTest {
  private static final Shape IMAGE = Shape.of(1, 28, 28);

  @Test
  void cnn_twoThreads_matchSerialInEveryMode() {
    Batch b = TestData.labelled(IMAGE, 6, 10, 3);
    Model serial = ModelSpec.cnn("relu").build(IMAGE, 10, 1);
    Model split = serial.copy();
    split.setThreads(2);
    assertThat(split.threads()).isEqualTo(2);
    for (GradientMode mode : GradientMode.values()) {
      float[] a = run(serial, b, mode);
      float[] c = run(split, b, mode);
      assertClose(mode.name(), c, a);
    }
  }

  @Test
  void twoNN_twoThreads_matchSerialInEveryMode() {
    Batch b = TestData.labelled(IMAGE, 32, 10, 3);
    Model serial = ModelSpec.twoNN().build(IMAGE, 10, 1);
    Model split = serial.copy();
    split.setThreads(2);
    for (GradientMode mode : GradientMode.values()) {
      assertClose(mode.name(), run(split, b, mode), run(serial, b, mode));
    }
  }

  @Test
  void fit_twoThreads_isReproducibleAndCloseToSerial() {
    Dataset d = TestData.blobs("blobs", 64, 784, 10, 2);
    float[] first = fitted(2, d);
    float[] second = fitted(2, d);
    float[] serial = fitted(1, d);
    assertThat(first).isEqualTo(second);
    for (int i = 0; i < first.length; i++) {
      assertThat(Math.abs(first[i] - serial[i])).isLessThanOrEqualTo(1e-4f);
    }
  }

  @Test
  void setThreads_zero_isRejected() {
    Model m = ModelSpec.logistic().build(Shape.of(3), 3, 1);
    assertThatThrownBy(() -> m.setThreads(0)).hasMessage("threads must be in [1, 64] but was 0");
  }

  private static float[] fitted(int threads, Dataset d) {
    Model m = ModelSpec.twoNN().build(Shape.of(784), 10, 5);
    m.setThreads(threads);
    new LocalTrainer().fit(m, d, TrainConfig.of(2, 16, OptimizerSpec.sgd(0.05)), 9);
    return m.parameters().data().clone();
  }

  private static float[] run(Model m, Batch b, GradientMode mode) {
    m.forward(b.features(), b.size(), true);
    m.lossAndGradient(b);
    m.backward(mode);
    return switch (mode) {
      case SUM, MEAN -> m.gradients().data().clone();
      case PER_EXAMPLE -> java.util.Arrays.copyOf(m.perExampleGradients().rows(),
          b.size() * m.parameterCount());
      case PER_EXAMPLE_NORMS -> {
        double[] n = m.perExampleGradients().squaredNorms();
        float[] f = new float[n.length];
        for (int i = 0; i < n.length; i++) {
          f[i] = (float) n[i];
        }
        yield f;
      }
    };
  }

  private static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i])).as("%s entry %d", what, i)
          .isLessThanOrEqualTo(1e-5f + 1e-4f * Math.abs(expected[i]));
    }
  }
}
