package dev.cohort.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Optimiser steps against values worked out by hand from PyTorch's update rules. */
class OptimizerTest {

  /* --- SGD --- */

  @Test
  void sgd_plainStep_subtractsLearningRateTimesGradient() {
    float[] w = {1f, -2f};
    OptimizerSpec.sgd(0.5).create(2).step(w, new float[] {0.2f, -4f});
    assertThat(w).containsExactly(0.9f, 0f);
  }

  @Test
  void sgd_weightDecay_addsDecayTimesWeight() {
    float[] w = {2f};
    OptimizerSpec.sgd(0.1, 0, 0.5, false).create(1).step(w, new float[] {1f});
    // g = 1 + 0.5 * 2 = 2; w = 2 - 0.1 * 2
    assertThat(w[0]).isCloseTo(1.8f, within(1e-6f));
  }

  @Test
  void sgd_momentum_accumulatesBuffer() {
    float[] w = {0f};
    Optimizer opt = OptimizerSpec.sgd(0.1, 0.9, 0, false).create(1);
    opt.step(w, new float[] {1f}); // buf = 1, w = -0.1
    opt.step(w, new float[] {1f}); // buf = 0.9 + 1 = 1.9, w = -0.1 - 0.19
    assertThat(w[0]).isCloseTo(-0.29f, within(1e-6f));
    assertThat(opt.steps()).isEqualTo(2);
  }

  @Test
  void sgd_nesterov_looksAhead() {
    float[] w = {0f};
    Optimizer opt = OptimizerSpec.sgd(0.1, 0.9, 0, true).create(1);
    opt.step(w, new float[] {1f}); // buf = 1, step g + 0.9 buf = 1.9, w = -0.19
    opt.step(w, new float[] {1f}); // buf = 1.9, step 1 + 1.71 = 2.71, w = -0.19 - 0.271
    assertThat(w[0]).isCloseTo(-0.461f, within(1e-6f));
  }

  @Test
  void sgd_reset_forgetsMomentum() {
    float[] w = {0f};
    Optimizer opt = OptimizerSpec.sgd(0.1, 0.9, 0, false).create(1);
    opt.step(w, new float[] {1f});
    opt.reset();
    assertThat(opt.steps()).isZero();
    w[0] = 0f;
    opt.step(w, new float[] {1f});
    assertThat(w[0]).isCloseTo(-0.1f, within(1e-7f));
  }

  @Test
  void sgd_doesNotModifyGradients() {
    float[] g = {1f, 2f};
    OptimizerSpec.sgd(0.1, 0.5, 0.1, true).create(2).step(new float[] {1f, 1f}, g);
    assertThat(g).containsExactly(1f, 2f);
  }

  /* --- Adam --- */

  @Test
  void adam_firstStep_movesByLearningRateTimesSign() {
    // Step 1: m = 0.1 g, v = 0.001 g^2, mhat = g, vhat = g^2, w -= lr g / (|g| + eps).
    float[] w = {1f, 1f};
    OptimizerSpec.adam(0.01).create(2).step(w, new float[] {0.5f, -3f});
    assertThat(w[0]).isCloseTo((float) (1 - 0.01 * 0.5 / (0.5 + 1e-8)), within(1e-6f));
    assertThat(w[1]).isCloseTo((float) (1 + 0.01 * 3 / (3 + 1e-8)), within(1e-6f));
  }

  @Test
  void adam_twoStepsWithWeightDecay_matchFormula() {
    double lr = 0.1;
    double b1 = 0.8;
    double b2 = 0.95;
    double eps = 1e-3;
    double wd = 0.2;
    float[] w = {0.5f};
    Optimizer opt = OptimizerSpec.adam(lr, b1, b2, eps, wd).create(1);
    double ew = 0.5;
    double m = 0;
    double v = 0;
    double[] grads = {0.3, -0.7};
    for (int t = 1; t <= 2; t++) {
      opt.step(w, new float[] {(float) grads[t - 1]});
      double g = grads[t - 1] + wd * ew;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      double mhat = m / (1 - Math.pow(b1, t));
      double vhat = v / (1 - Math.pow(b2, t));
      ew -= lr * mhat / (Math.sqrt(vhat) + eps);
      assertThat((double) w[0]).as("step %d", t).isCloseTo(ew, within(1e-6));
    }
  }

  @Test
  void adam_reset_restartsBiasCorrection() {
    float[] w = {0f};
    Optimizer opt = OptimizerSpec.adam(0.01).create(1);
    opt.step(w, new float[] {1f});
    opt.step(w, new float[] {-1f});
    opt.reset();
    w[0] = 0f;
    opt.step(w, new float[] {2f});
    assertThat(w[0]).isCloseTo(-0.01f, within(1e-7f));
  }

  /* --- validation --- */

  @Test
  void step_wrongLength_namesTheArray() {
    assertThatThrownBy(() -> OptimizerSpec.sgd(0.1).create(3).step(new float[3], new float[2]))
        .hasMessage("grads has 2 floats but the optimiser was created for 3");
  }

  @Test
  void sgd_negativeLearningRate_isRejected() {
    assertThatThrownBy(() -> OptimizerSpec.sgd(-1))
        .hasMessage("sgd learningRate must be > 0 and finite but was -1.0");
  }

  @Test
  void sgd_nesterovWithoutMomentum_isRejected() {
    assertThatThrownBy(() -> OptimizerSpec.sgd(0.1, 0, 0, true))
        .hasMessageContaining("nesterov needs momentum > 0");
  }

  @Test
  void sgd_momentumOne_isRejected() {
    assertThatThrownBy(() -> OptimizerSpec.sgd(0.1, 1, 0, false))
        .hasMessage("sgd momentum must be in [0, 1) but was 1.0");
  }

  @Test
  void adam_badBeta2_isRejected() {
    assertThatThrownBy(() -> OptimizerSpec.adam(0.1, 0.9, 1.5, 1e-8, 0))
        .hasMessage("adam beta2 must be in [0, 1) but was 1.5");
  }

  @Test
  void adam_nanWeightDecay_isRejected() {
    assertThatThrownBy(() -> OptimizerSpec.adam(0.1, 0.9, 0.99, 1e-8, Double.NaN))
        .hasMessage("adam weightDecay must be >= 0 and finite but was NaN");
  }
}
