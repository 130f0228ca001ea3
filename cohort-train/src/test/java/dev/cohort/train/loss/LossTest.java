package dev.cohort.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Values against closed forms and gradients against central differences. The losses accumulate in
 * double, so a step of {@code 1e-3} on the float outputs leaves errors near {@code 1e-6}; each
 * coordinate must agree within {@code 1e-4 + 1e-3 * |numeric|}.
 */
class LossTest {

  /* --- softmax cross-entropy --- */

  @Test
  void crossEntropy_value_matchesLogSumExp() {
    float[] z = {1f, 2f, 3f};
    double expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 2;
    assertThat(Loss.softmaxCrossEntropy().compute(z, 1, 3, new int[] {1}, null, null))
        .isCloseTo(expected, within(1e-9));
  }

  @Test
  void crossEntropy_hugeLogits_stayFinite() {
    float[] z = {1e30f, -1e30f, 0f};
    float[] g = new float[3];
    double loss = Loss.softmaxCrossEntropy().compute(z, 1, 3, new int[] {1}, null, g);
    assertThat(loss).isCloseTo(2e30, within(1e24));
    assertThat(g).containsExactly(1f, -1f, 0f);
  }

  @Test
  void crossEntropy_gradient_matchesFiniteDifferences() {
    checkGradient(Loss.softmaxCrossEntropy(), 4, 5, new int[] {0, 4, 2, 2}, null);
  }

  @Test
  void crossEntropy_countsArgmaxMatches() {
    float[] z = {0f, 5f, 1f, 9f, 0f, 0f};
    assertThat(Loss.softmaxCrossEntropy().countCorrect(z, 2, 3, new int[] {1, 1})).isEqualTo(1);
  }

  @Test
  void crossEntropy_oneOutput_isRejected() {
    assertThatThrownBy(() -> Loss.softmaxCrossEntropy().checkOutputWidth(1))
        .hasMessageContaining("at least 2 outputs").hasMessageContaining("has 1");
  }

  /* --- binary logistic --- */

  @Test
  void binaryLogistic_value_isSoftplusMinusLabelTimesLogit() {
    float[] z = {0.7f, -2f};
    double expected = Math.log1p(Math.exp(0.7f)) - 0.7f + Math.log1p(Math.exp(-2));
    assertThat(Loss.binaryLogistic().compute(z, 2, 1, new int[] {1, 0}, null, null))
        .isCloseTo(expected, within(1e-9));
  }

  @Test
  void binaryLogistic_extremeLogits_stayFinite() {
    float[] z = {80f, -80f};
    float[] g = new float[2];
    double loss = Loss.binaryLogistic().compute(z, 2, 1, new int[] {0, 1}, null, g);
    assertThat(loss).isCloseTo(160, within(1e-6));
    assertThat(g).containsExactly(1f, -1f);
  }

  @Test
  void binaryLogistic_gradient_matchesFiniteDifferences() {
    checkGradient(Loss.binaryLogistic(), 6, 1, new int[] {0, 1, 1, 0, 1, 0}, null);
  }

  @Test
  void binaryLogistic_predictsOneAboveZero() {
    float[] z = {0.1f, -0.1f, 0f};
    assertThat(Loss.binaryLogistic().countCorrect(z, 3, 1, new int[] {1, 0, 0})).isEqualTo(3);
  }

  /* --- mean squared error --- */

  @Test
  void mse_value_isMeanOverOutputs() {
    float[] o = {1f, 2f, 0f, 0f};
    float[] t = {0f, 0f, 3f, 0f};
    assertThat(Loss.meanSquaredError().compute(o, 2, 2, null, t, null))
        .isCloseTo((1 + 4) / 2.0 + 9 / 2.0, within(1e-9));
  }

  @Test
  void mse_gradient_matchesFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] t = new float[4 * 3];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) rng.nextGaussian();
    }
    checkGradient(Loss.meanSquaredError(), 4, 3, null, t);
  }

  @Test
  void mse_hasNoAccuracy() {
    assertThatThrownBy(() -> Loss.meanSquaredError().countCorrect(new float[1], 1, 1, new int[1]))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static void checkGradient(Loss loss, int batch, int width, int[] labels, float[] targets) {
    SplittableRandom rng = new SplittableRandom(11);
    float[] z = new float[batch * width];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (rng.nextDouble() * 4 - 2);
    }
    float[] g = new float[z.length];
    loss.compute(z, batch, width, labels, targets, g);
    float h = 1e-3f;
    for (int i = 0; i < z.length; i++) {
      float saved = z[i];
      z[i] = saved + h;
      double plus = loss.compute(z, batch, width, labels, targets, null);
      z[i] = saved - h;
      double minus = loss.compute(z, batch, width, labels, targets, null);
      z[i] = saved;
      double numeric = (plus - minus) / ((double) (saved + h) - (double) (saved - h));
      assertThat(Math.abs(g[i] - numeric))
          .as("%s output %d: analytic %s vs numeric %s", loss.name(), i, g[i], numeric)
          .isLessThanOrEqualTo(1e-4 + 1e-3 * Math.abs(numeric));
    }
  }
}
