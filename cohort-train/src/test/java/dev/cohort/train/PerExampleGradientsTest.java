package dev.cohort.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.tensor.Shape;
import dev.cohort.train.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gradient modes agree with each other: per-example rows sum to the batch gradient, norms-only
 * equals the rows' norms, a weighted sum equals the weighted sum of rows, and a row equals the
 * gradient of a batch holding only that example. Float32 sums in different orders differ by
 * rounding, so entries must agree within {@code 1e-5 + 1e-4 * sum_i |row_i[p]|} and norms within a
 * relative {@code 1e-4}.
 */
class PerExampleGradientsTest {
  private static final int B = 5;

  /* --- MLP --- */

  @Test
  void mlp_perExampleRows_sumToBatchGradient() {
    rowsSumToBatchGradient(mlp(), mlpBatch());
  }

  @Test
  void mlp_perExampleNorms_equalRowNorms() {
    normsEqualRowNorms(mlp(), mlpBatch());
  }

  @Test
  void mlp_weightedSum_equalsWeightedRowSum() {
    weightedSumEqualsWeightedRows(mlp(), mlpBatch());
  }

  @Test
  void mlp_perExampleRow_equalsSingleExampleGradient() {
    rowEqualsSingleExampleGradient(mlp(), mlpBatch());
  }

  @Test
  void binaryLogistic_perExampleModes_agree() {
    Model m = ModelSpec.logistic().build(Shape.of(7), 2, 3);
    Batch b = TestData.labelled(Shape.of(7), B, 2, 4);
    rowsSumToBatchGradient(m, b);
    normsEqualRowNorms(m, b);
  }

  @Test
  void dropout_perExampleModes_useTheForwardPassMask() {
    Model m = Model.builder(Shape.of(9)).dense(16).relu().dropout(0.5).dense(3)
        .loss(Loss.softmaxCrossEntropy()).build(8);
    Batch b = TestData.labelled(Shape.of(9), B, 3, 4);
    rowsSumToBatchGradient(m, b);
    normsEqualRowNorms(m, b);
    weightedSumEqualsWeightedRows(m, b);
  }

  /* --- CNN --- */

  @Test
  void cnn_perExampleRows_sumToBatchGradient() {
    rowsSumToBatchGradient(cnn(), cnnBatch());
  }

  @Test
  void cnn_perExampleNorms_equalRowNorms() {
    normsEqualRowNorms(cnn(), cnnBatch());
  }

  @Test
  void cnn_weightedSum_equalsWeightedRowSum() {
    weightedSumEqualsWeightedRows(cnn(), cnnBatch());
  }

  @Test
  void cnn_perExampleRow_equalsSingleExampleGradient() {
    rowEqualsSingleExampleGradient(cnn(), cnnBatch());
  }

  @Test
  void simpleCnn_perExampleModes_agree() {
    Model m = ModelSpec.simpleCnn("tanh").build(Shape.of(2, 16, 16), 4, 6);
    Batch b = TestData.labelled(Shape.of(2, 16, 16), B, 4, 7);
    rowsSumToBatchGradient(m, b);
    normsEqualRowNorms(m, b);
    weightedSumEqualsWeightedRows(m, b);
  }

  /* --- the clipped sum from the norms pass's output gradients --- */

  @Test
  void scaledSumAfterNorms_equalsTheWeightedSum_forEveryKindOfLayer() {
    scaledSumEqualsWeightedSum(mlp(), mlpBatch());
    scaledSumEqualsWeightedSum(cnn(), cnnBatch());
    scaledSumEqualsWeightedSum(ModelSpec.simpleCnn("tanh").build(Shape.of(2, 16, 16), 4, 6),
        TestData.labelled(Shape.of(2, 16, 16), B, 4, 7));
    scaledSumEqualsWeightedSum(Model.builder(Shape.of(9)).dense(16).relu().dropout(0.5).dense(8).tanh().dense(3)
        .loss(Loss.softmaxCrossEntropy()).build(8), TestData.labelled(Shape.of(9), B, 3, 4));
  }

  @Test
  void scaledSum_withoutAFreshNormsPass_isRefused() {
    Model m = mlp();
    Batch b = mlpBatch();
    float[] c = {1f, 1f, 1f, 1f, 1f};
    forward(m, b);
    assertThatThrownBy(() -> m.backwardScaledSum(c)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PER_EXAMPLE_NORMS");
    m.backward(GradientMode.PER_EXAMPLE_NORMS);
    m.backwardScaledSum(c);
    assertThatThrownBy(() -> m.backwardScaledSum(c)).as("the norms pass is consumed")
        .isInstanceOf(IllegalStateException.class);
    m.backward(GradientMode.PER_EXAMPLE_NORMS);
    forward(m, b);
    assertThatThrownBy(() -> m.backwardScaledSum(c)).as("a new forward pass invalidates it")
        .isInstanceOf(IllegalStateException.class);
  }

  private static void scaledSumEqualsWeightedSum(Model m, Batch b) {
    float[] c = {0.5f, 2f, 0f, 1f, 0.125f};
    float[] expected = sumGradient(m, b, c);
    float[] rows = perExampleRows(m, b).clone();
    forward(m, b);
    m.backward(GradientMode.PER_EXAMPLE_NORMS);
    m.backwardScaledSum(c);
    assertRowCombination(m, rows, c, m.gradients().data());
    float[] got = m.gradients().data();
    for (int j = 0; j < got.length; j++) {
      assertThat(Math.abs(got[j] - expected[j])).as("parameter %s", m.parameters().nameAt(j))
          .isLessThanOrEqualTo(1e-5f + 1e-4f * Math.abs(expected[j]));
    }
  }

  @Test
  void convolutionNorms_splitOverTheKernelThreads_equalTheSerialOnes() {
    Model m = ModelSpec.simpleCnn("relu").build(Shape.of(2, 16, 16), 4, 6);
    Batch b = TestData.labelled(Shape.of(2, 16, 16), B, 4, 8);
    int before = dev.cohort.tensor.kernel.Kernels.intraOpThreads();
    try {
      dev.cohort.tensor.kernel.Kernels.setIntraOpThreads(1);
      forward(m, b);
      m.backward(GradientMode.PER_EXAMPLE_NORMS);
      double[] serial = m.perExampleGradients().squaredNorms().clone();
      dev.cohort.tensor.kernel.Kernels.setIntraOpThreads(2);
      forward(m, b);
      m.backward(GradientMode.PER_EXAMPLE_NORMS);
      assertThat(m.perExampleGradients().squaredNorms()).containsExactly(serial);
    } finally {
      dev.cohort.tensor.kernel.Kernels.setIntraOpThreads(before);
    }
  }

  /* --- MEAN and lifecycle --- */

  @Test
  void mean_isSumOverBatchSize() {
    Model m = mlp();
    Batch b = mlpBatch();
    float[] sum = sumGradient(m, b, null);
    m.backward(GradientMode.MEAN);
    float[] mean = m.gradients().data();
    for (int p = 0; p < sum.length; p++) {
      assertThat(mean[p]).isCloseTo(sum[p] / B, org.assertj.core.api.Assertions.within(1e-6f + 1e-5f * Math.abs(sum[p])));
    }
  }

  @Test
  void perExampleGradients_afterNextForward_areInvalid() {
    Model m = mlp();
    Batch b = mlpBatch();
    forward(m, b);
    m.backward(GradientMode.PER_EXAMPLE_NORMS);
    assertThat(m.perExampleGradients().hasRows()).isFalse();
    assertThatThrownBy(() -> m.perExampleGradients().rows())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("PER_EXAMPLE_NORMS");
    forward(m, b);
    assertThatThrownBy(() -> m.perExampleGradients().squaredNorm(0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("after the latest forward");
  }

  @Test
  void backward_withoutLoss_isRejected() {
    Model m = mlp();
    Batch b = mlpBatch();
    m.forward(b.features(), b.size(), true);
    assertThatThrownBy(() -> m.backward(GradientMode.SUM))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("lossAndGradient");
  }

  /* --- checks --- */

  private static void rowsSumToBatchGradient(Model m, Batch b) {
    float[] sum = sumGradient(m, b, null);
    float[] rows = perExampleRows(m, b);
    assertRowCombination(m, rows, null, sum);
  }

  private static void normsEqualRowNorms(Model m, Batch b) {
    float[] rows = perExampleRows(m, b);
    double[] fromRows = m.perExampleGradients().squaredNorms();
    int p = m.parameterCount();
    for (int i = 0; i < B; i++) {
      double direct = 0;
      for (int j = 0; j < p; j++) {
        direct += (double) rows[i * p + j] * rows[i * p + j];
      }
      assertThat(fromRows[i]).isCloseTo(direct, org.assertj.core.api.Assertions.withinPercentage(1e-2));
    }
    m.backward(GradientMode.PER_EXAMPLE_NORMS);
    double[] ghost = m.perExampleGradients().squaredNorms();
    for (int i = 0; i < B; i++) {
      assertThat(ghost[i]).as("example %d", i).isPositive()
          .isCloseTo(fromRows[i], org.assertj.core.api.Assertions.withinPercentage(1e-2));
    }
  }

  private static void weightedSumEqualsWeightedRows(Model m, Batch b) {
    float[] c = {0.5f, 2f, 0f, 1f, 0.125f};
    float[] weighted = sumGradient(m, b, c);
    float[] rows = perExampleRows(m, b);
    assertRowCombination(m, rows, c, weighted);
    m.backward(GradientMode.PER_EXAMPLE_NORMS, c);
    double[] plain = m.perExampleGradients().squaredNorms();
    perExampleRows(m, b);
    for (int i = 0; i < B; i++) {
      assertThat(plain[i]).isCloseTo(m.perExampleGradients().squaredNorm(i) * c[i] * c[i],
          org.assertj.core.api.Assertions.within(1e-12 + 1e-4 * plain[i]));
    }
  }

  private static void rowEqualsSingleExampleGradient(Model m, Batch b) {
    float[] rows = perExampleRows(m, b).clone();
    int p = m.parameterCount();
    int d = b.exampleShape().size();
    for (int i = 0; i < B; i++) {
      float[] x = java.util.Arrays.copyOfRange(b.features(), i * d, (i + 1) * d);
      Batch one = Batch.ofLabels(b.exampleShape(), x, new int[] {b.labels()[i]});
      float[] g = sumGradient(m, one, null);
      for (int j = 0; j < p; j++) {
        float r = rows[i * p + j];
        assertThat(Math.abs(r - g[j])).as("example %d parameter %s", i, m.parameters().nameAt(j))
            .isLessThanOrEqualTo(1e-5f + 1e-4f * Math.abs(g[j]));
      }
    }
  }

  private static void assertRowCombination(Model m, float[] rows, float[] c, float[] expected) {
    int p = m.parameterCount();
    for (int j = 0; j < p; j++) {
      double s = 0;
      double scale = 0;
      for (int i = 0; i < B; i++) {
        double term = (c == null ? 1 : c[i]) * rows[i * p + j];
        s += term;
        scale += Math.abs(term);
      }
      assertThat(Math.abs(s - expected[j])).as("parameter %s", m.parameters().nameAt(j))
          .isLessThanOrEqualTo(1e-5 + 1e-4 * scale);
    }
  }

  private static float[] sumGradient(Model m, Batch b, float[] weights) {
    forward(m, b);
    m.backward(GradientMode.SUM, weights);
    return m.gradients().data().clone();
  }

  private static float[] perExampleRows(Model m, Batch b) {
    forward(m, b);
    m.backward(GradientMode.PER_EXAMPLE);
    assertThat(m.perExampleGradients().batchSize()).isEqualTo(b.size());
    return m.perExampleGradients().rows();
  }

  private static void forward(Model m, Batch b) {
    m.reseed(1);
    m.forward(b.features(), b.size(), true);
    m.lossAndGradient(b);
  }

  private static Model mlp() {
    return ModelSpec.mlp(List.of(16, 8), "relu").build(Shape.of(1, 3, 4), 3, 2);
  }

  private static Batch mlpBatch() {
    return TestData.labelled(Shape.of(1, 3, 4), B, 3, 5);
  }

  private static Model cnn() {
    return ModelSpec.cnn("relu").build(Shape.of(2, 8, 8), 4, 2);
  }

  private static Batch cnnBatch() {
    return TestData.labelled(Shape.of(2, 8, 8), B, 4, 5);
  }
}
