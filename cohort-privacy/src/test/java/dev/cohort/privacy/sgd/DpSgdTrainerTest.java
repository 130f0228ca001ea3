package dev.cohort.privacy.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.data.Dataset;
import dev.cohort.privacy.noise.ChaCha20Random;
import dev.cohort.tensor.Shape;
import dev.cohort.train.Batch;
import dev.cohort.train.GradientMode;
import dev.cohort.train.LocalTrainer;
import dev.cohort.train.Model;
import dev.cohort.train.ModelSpec;
import dev.cohort.train.optim.OptimizerSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DpSgdTrainerTest {
  /** Two Gaussian blobs in 8 dimensions, 200 examples. */
  private static Dataset blobs(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * 8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      for (int j = 0; j < 8; j++) {
        x[i * 8 + j] = (float) (rng.nextGaussian() + (y[i] == 1 ? 1.5 : -1.5) * (j < 2 ? 1 : 0));
      }
    }
    return Dataset.classification("blobs", Shape.of(8), x, y, 2);
  }

  private static Model mlp() {
    return new ModelSpec("mlp", List.of(16), "tanh").build(Shape.of(8), 2, 7);
  }

  @Test
  void oneStep_equalsClippedSumOfMaterialisedPerExampleGradientsOverLotSize() {
    Dataset data = blobs(40, 1);
    double clip = 0.05; // small enough that most examples are clipped
    double lr = 0.5;
    Model reference = mlp();
    Model dp = mlp();

    // Reference: every per-example gradient as a row, clipped, summed, averaged over L = n, one SGD step.
    int[] all = java.util.stream.IntStream.range(0, 40).toArray();
    Batch batch = Batch.forDataset(data, 40);
    batch.fill(data, all, 0, 40);
    reference.forward(batch.features(), 40, true);
    reference.lossAndGradient(batch);
    reference.backward(GradientMode.PER_EXAMPLE);
    float[] expected = reference.parameters().data().clone();
    int p = expected.length;
    float[] rows = reference.perExampleGradients().rows();
    for (int e = 0; e < 40; e++) {
      double norm = Math.sqrt(reference.perExampleGradients().squaredNorm(e));
      double scale = Math.min(1, clip / norm);
      for (int k = 0; k < p; k++) {
        expected[k] -= (float) (lr * scale * rows[e * p + k] / 40);
      }
    }

    // q = 1 (L = n): the lot is every example; noise multiplier tiny so the step is the clipped mean.
    DpSgdConfig config = new DpSgdConfig(1e-9, clip, 40, 1, 16, OptimizerSpec.sgd(lr));
    DpSgdTrainer.Result r = new DpSgdTrainer().fit(dp, data, config, ChaCha20Random.seededForTests(1),
        ChaCha20Random.seededForTests(2));

    assertThat(r.steps()).isEqualTo(1);
    assertThat(r.clippedFraction()).isGreaterThan(0.5);
    float[] got = dp.parameters().data();
    for (int k = 0; k < p; k++) {
      assertThat((double) got[k]).as("parameter %d", k).isCloseTo(expected[k], within(1e-5));
    }
  }

  @Test
  void privacyCost_isThePoissonSampledGaussianOfTheStepsTaken() {
    DpSgdConfig config = new DpSgdConfig(1.1, 1.0, 20, 3, 16, OptimizerSpec.sgd(0.1));
    assertThat(DpSgdTrainer.privacyCost(config, 200)).satisfies(c -> {
      assertThat(c.noiseMultiplier()).isEqualTo(1.1);
      assertThat(c.samplingRate()).isEqualTo(0.1);
      assertThat(c.steps()).isEqualTo(30);
    });
  }

  @Test
  void lotSizes_followPoissonSampling() {
    Dataset data = blobs(1000, 2);
    DpSgdConfig config = new DpSgdConfig(1.0, 1.0, 100, 20, 256, OptimizerSpec.sgd(0.1));
    DpSgdTrainer.Result r = new DpSgdTrainer().fit(mlp(), data, config, ChaCha20Random.seededForTests(3),
        ChaCha20Random.seededForTests(4));
    // 200 steps of Binomial(1000, 0.1): mean 100 per step, total 20000, sd of total sqrt(200*90) = 134.
    assertThat(r.steps()).isEqualTo(200);
    assertThat((double) r.examplesSeen()).isCloseTo(20_000, within(6 * 134.0));
  }

  @Test
  void moderatePrivacy_stillLearnsASeparableProblem() {
    Dataset data = blobs(2000, 3);
    DpSgdConfig config = new DpSgdConfig(1.0, 1.0, 100, 5, 128, OptimizerSpec.sgd(0.5, 0.9, 0, false));
    Model model = mlp();
    new DpSgdTrainer().fit(model, data, config, ChaCha20Random.seededForTests(5), ChaCha20Random.seededForTests(6));
    double accuracy = new LocalTrainer().evaluate(model, blobs(1000, 4), 256).accuracy();
    assertThat(accuracy).isGreaterThan(0.9);
  }
}
