package dev.cohort.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import dev.cohort.train.optim.OptimizerSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalTrainerTest {
  private final LocalTrainer trainer = new LocalTrainer();

  /* --- learning --- */

  @Test
  void fit_separableBlobs_mlpReachesOver95Percent() {
    Dataset all = TestData.blobs("blobs", 1000, 8, 4, 1);
    Dataset train = all.subset(IntStream.range(0, 800).toArray());
    Dataset test = all.subset(IntStream.range(800, 1000).toArray());
    Model m = ModelSpec.mlp(List.of(32), "relu").build(Shape.of(8), 4, 2);
    TrainResult r = trainer.fit(m, train, TrainConfig.of(5, 16, OptimizerSpec.sgd(0.05)), 3);
    Evaluation e = trainer.evaluate(m, test, 64);
    assertThat(e.accuracy()).isGreaterThan(0.95);
    assertThat(r.lastEpochLoss()).isLessThan(r.meanLoss());
    assertThat(e.examples()).isEqualTo(200);
  }

  @Test
  void fit_adamWithMomentumFreeDecay_learnsToo() {
    Dataset d = TestData.blobs("blobs", 400, 5, 3, 4);
    Model m = ModelSpec.mlp(List.of(16), "tanh").build(Shape.of(5), 3, 2);
    trainer.fit(m, d, TrainConfig.of(5, 32, OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 1e-4)), 3);
    assertThat(trainer.evaluate(m, d, 100).accuracy()).isGreaterThan(0.95);
  }

  @Test
  void fit_binaryLogistic_learnsAndThresholdsAtZero() {
    Dataset d = TestData.blobs("two", 300, 4, 2, 9);
    Model m = ModelSpec.logistic().build(Shape.of(4), 2, 1);
    trainer.fit(m, d, TrainConfig.of(5, 10, OptimizerSpec.sgd(0.1)), 1);
    assertThat(trainer.evaluate(m, d, 50).accuracy()).isGreaterThan(0.95);
  }

  @Test
  void fit_linearRegression_fitsALine() {
    int n = 200;
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i / 100f - 1f;
      y[i] = 3f * x[i] - 0.5f;
    }
    Dataset d = Dataset.regression("line", Shape.of(1), x, y, 1);
    Model m = ModelSpec.linear().build(Shape.of(1), 1, 1);
    trainer.fit(m, d, TrainConfig.of(50, 10, OptimizerSpec.sgd(0.1)), 1);
    assertThat(m.parameters().tensor("dense0.weight").get(0)).isCloseTo(3f, within(1e-3f));
    assertThat(m.parameters().tensor("dense0.bias").get(0)).isCloseTo(-0.5f, within(1e-3f));
    Evaluation e = trainer.evaluate(m, d, 64);
    assertThat(e.accuracy()).isNaN();
    assertThat(e.meanLoss()).isLessThan(1e-5);
  }

  /* --- determinism --- */

  @Test
  void fit_sameSeed_sameParametersBitForBit() {
    for (TrainConfig c : List.of(TrainConfig.of(2, 7, OptimizerSpec.sgd(0.05)),
        TrainConfig.of(2, 7, OptimizerSpec.sgd(0.05, 0.9, 1e-3, true)),
        TrainConfig.of(2, 7, OptimizerSpec.adam(0.01)).withProximalMu(0.1))) {
      float[] a = trained(c, 11);
      float[] b = trained(c, 11);
      float[] other = trained(c, 12);
      assertThat(a).as("%s", c).isEqualTo(b);
      assertThat(a).as("%s", c).isNotEqualTo(other);
    }
  }

  private float[] trained(TrainConfig config, long seed) {
    Dataset d = TestData.blobs("blobs", 100, 6, 3, 5);
    Model m = Model.builder(Shape.of(6)).dense(10).relu().dropout(0.2).dense(3)
        .loss(dev.cohort.train.loss.Loss.softmaxCrossEntropy()).build(1);
    new LocalTrainer().fit(m, d, config, seed);
    return m.parameters().data().clone();
  }

  @Test
  void fit_freshOptimizerStatePerFit_unlessKept() {
    Dataset d = TestData.blobs("blobs", 60, 4, 2, 5);
    Model start = ModelSpec.mlp(List.of(6), "tanh").build(Shape.of(4), 2, 1);
    TrainConfig fresh = TrainConfig.of(1, 8, OptimizerSpec.sgd(0.1, 0.9, 0, false));
    LocalTrainer reused = new LocalTrainer();
    Model a = start.copy();
    reused.fit(a, d, fresh, 1);
    a.loadParameters(start.parameters());
    reused.fit(a, d, fresh, 1);
    Model b = start.copy();
    new LocalTrainer().fit(b, d, fresh, 1);
    assertThat(a.parameters().data()).isEqualTo(b.parameters().data());

    Model kept = start.copy();
    LocalTrainer keeping = new LocalTrainer();
    keeping.fit(kept, d, fresh.withKeepOptimizerState(true), 1);
    kept.loadParameters(start.parameters());
    keeping.fit(kept, d, fresh.withKeepOptimizerState(true), 1);
    assertThat(kept.parameters().data()).isNotEqualTo(b.parameters().data());
  }

  @Test
  void fit_plainSgd_matchesManualStepsOnOneFullBatch() {
    Dataset d = TestData.blobs("blobs", 12, 5, 3, 5);
    Model fused = ModelSpec.mlp(List.of(7), "relu").build(Shape.of(5), 3, 1);
    Model manual = fused.copy();
    trainer.fit(fused, d, TrainConfig.of(1, 12, OptimizerSpec.sgd(0.3)), 1);
    Batch b = Batch.forDataset(d, 12);
    b.fill(d, IntStream.range(0, 12).toArray(), 0, 12);
    manual.forward(b.features(), 12, true);
    manual.lossAndGradient(b);
    manual.backward(GradientMode.MEAN);
    float[] w = manual.parameters().data();
    float[] g = manual.gradients().data();
    for (int i = 0; i < w.length; i++) {
      w[i] -= 0.3f * g[i];
    }
    float[] f = fused.parameters().data();
    for (int i = 0; i < w.length; i++) {
      assertThat(f[i]).isCloseTo(w[i], within(1e-5f));
    }
  }

  /* --- batching and results --- */

  @Test
  void fit_lastPartialBatch_isIncluded() {
    Dataset d = TestData.blobs("blobs", 10, 3, 2, 5);
    Model m = ModelSpec.logistic().build(Shape.of(3), 2, 1);
    TrainResult r = trainer.fit(m, d, TrainConfig.of(3, 4, OptimizerSpec.sgd(0.1)), 1);
    assertThat(r.steps()).isEqualTo(9);
    assertThat(r.examples()).isEqualTo(10);
    assertThat(r.examplesProcessed()).isEqualTo(30);
    assertThat(r.epochs()).isEqualTo(3);
  }

  @Test
  void fit_meanLoss_isPerExampleMean() {
    Dataset d = TestData.blobs("blobs", 10, 3, 3, 5);
    Model m = ModelSpec.logistic().build(Shape.of(3), 3, 1);
    Model copy = m.copy();
    TrainResult r = trainer.fit(m, d, TrainConfig.of(1, 10, OptimizerSpec.sgd(1e-9)), 1);
    assertThat(r.meanLoss()).isCloseTo(trainer.evaluate(copy, d, 3).meanLoss(), within(1e-6));
  }

  @Test
  void fit_emptyDataset_returnsNaNLoss() {
    Dataset d = TestData.blobs("blobs", 10, 3, 2, 5).subset(new int[0]);
    TrainResult r = trainer.fit(ModelSpec.logistic().build(Shape.of(3), 2, 1), d,
        TrainConfig.of(1, 4, OptimizerSpec.sgd(0.1)), 1);
    assertThat(r.examples()).isZero();
    assertThat(r.meanLoss()).isNaN();
  }

  /* --- FedProx --- */

  @Test
  void fit_proximalTerm_keepsParametersNearTheAnchor() {
    Dataset d = TestData.blobs("blobs", 100, 5, 3, 5);
    Model start = ModelSpec.mlp(List.of(8), "relu").build(Shape.of(5), 3, 1);
    double free = distanceAfter(start, d, 0, null);
    double prox = distanceAfter(start, d, 20, null);
    assertThat(prox).isLessThan(0.5 * free);
    ParameterSet origin = ParameterSet.zeros(start.layout());
    double towardsZero = normAfter(start, d, 50, origin);
    assertThat(towardsZero).isLessThan(normAfter(start, d, 0, origin));
  }

  private double distanceAfter(Model start, Dataset d, double mu, ParameterSet anchor) {
    Model m = start.copy();
    new LocalTrainer().fit(m, d, TrainConfig.of(3, 10, OptimizerSpec.sgd(0.01)).withProximalMu(mu), 1, anchor);
    double s = 0;
    for (int i = 0; i < m.parameterCount(); i++) {
      double diff = m.parameters().data()[i] - start.parameters().data()[i];
      s += diff * diff;
    }
    return Math.sqrt(s);
  }

  private double normAfter(Model start, Dataset d, double mu, ParameterSet anchor) {
    Model m = start.copy();
    new LocalTrainer().fit(m, d, TrainConfig.of(3, 10, OptimizerSpec.sgd(0.01)).withProximalMu(mu), 1, anchor);
    double s = 0;
    for (float v : m.parameters().data()) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  /* --- failures --- */

  @Test
  void fit_nanFeatures_failNamingEpochAndStep() {
    float[] x = new float[8 * 2];
    Arrays.fill(x, Float.NaN);
    Dataset d = Dataset.classification("bad", Shape.of(2), x, new int[8], 2);
    Model m = ModelSpec.logistic().build(Shape.of(2), 3, 1);
    assertThatThrownBy(() -> trainer.fit(m, d, TrainConfig.of(2, 4, OptimizerSpec.sgd(0.1)), 1))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageStartingWith("training diverged: the loss was NaN at epoch 1, step 1")
        .hasMessageContaining("bad");
  }

  @Test
  void fit_hugeLearningRate_diverges() {
    Dataset d = TestData.blobs("blobs", 64, 5, 3, 5);
    Model m = ModelSpec.mlp(List.of(8), "relu").build(Shape.of(5), 3, 1);
    assertThatThrownBy(() -> trainer.fit(m, d, TrainConfig.of(50, 8, OptimizerSpec.sgd(1e30)), 1))
        .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
          assertThat(e.epoch()).isGreaterThanOrEqualTo(1);
          assertThat(e.step()).isBetween(1L, 8L);
          assertThat(Double.isFinite(e.loss())).isFalse();
        });
  }

  @Test
  void fit_wrongInputSize_namesBothShapes() {
    Dataset d = TestData.blobs("blobs", 10, 3, 2, 5);
    assertThatThrownBy(() -> trainer.fit(ModelSpec.logistic().build(Shape.of(4), 2, 1), d,
        TrainConfig.of(1, 4, OptimizerSpec.sgd(0.1)), 1))
        .hasMessage("dataset blobs has examples of shape [3] but the model takes [4]");
  }

  @Test
  void fit_moreClassesThanOutputs_isRejected() {
    Dataset d = TestData.blobs("blobs", 10, 3, 4, 5);
    assertThatThrownBy(() -> trainer.fit(ModelSpec.logistic().build(Shape.of(3), 3, 1), d,
        TrainConfig.of(1, 4, OptimizerSpec.sgd(0.1)), 1))
        .hasMessage("dataset blobs has 4 classes but the model has only 3 outputs");
  }

  @Test
  void fit_classifierOnRegressionData_isRejected() {
    Dataset d = Dataset.regression("reg", Shape.of(2), new float[4], new float[2], 1);
    assertThatThrownBy(() -> trainer.fit(ModelSpec.logistic().build(Shape.of(2), 3, 1), d,
        TrainConfig.of(1, 4, OptimizerSpec.sgd(0.1)), 1))
        .hasMessageContaining("cross-entropy loss needs class labels but dataset reg has regression targets");
  }

  @Test
  void evaluate_zeroBatchSize_isRejected() {
    Dataset d = TestData.blobs("blobs", 10, 3, 2, 5);
    assertThatThrownBy(() -> trainer.evaluate(ModelSpec.logistic().build(Shape.of(3), 2, 1), d, 0))
        .hasMessage("batchSize must be >= 1 but was 0");
  }

  /* --- TrainConfig --- */

  @Test
  void trainConfig_invalidFields_areNamed() {
    OptimizerSpec sgd = OptimizerSpec.sgd(0.1);
    assertThatThrownBy(() -> TrainConfig.of(0, 4, sgd)).hasMessage("epochs must be >= 1 but was 0");
    assertThatThrownBy(() -> TrainConfig.of(1, -2, sgd)).hasMessage("batchSize must be >= 1 but was -2");
    assertThatThrownBy(() -> TrainConfig.of(1, 4, null)).hasMessage("optimizer");
    assertThatThrownBy(() -> TrainConfig.of(1, 4, sgd).withProximalMu(-1))
        .hasMessage("proximalMu must be >= 0 and finite but was -1.0");
  }
}
