package dev.cohort.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.strategy.RoundKeys;
import dev.cohort.data.Dataset;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import dev.cohort.train.LocalTrainer;
import dev.cohort.train.Model;
import dev.cohort.train.ModelSpec;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.optim.OptimizerSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingClientAppTest {
  private static Dataset blobs() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[300 * 4];
    int[] y = new int[300];
    for (int i = 0; i < 300; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) (rng.nextGaussian() + (j == y[i] ? 2 : 0));
      }
    }
    return Dataset.classification("blobs", Shape.of(4), x, y, 3);
  }

  private static final ModelSpec SPEC = new ModelSpec("mlp", List.of(8), "relu");
  private static final TrainConfig TRAIN = TrainConfig.of(2, 16, OptimizerSpec.sgd(0.1));

  @Test
  void fit_returnsLocalMinusGlobalAndTheExampleCount() {
    Dataset data = blobs();
    ModelPool pool = new ModelPool(SPEC, Shape.of(4), 3);
    ParameterSet global = pool.fresh(11).parameters().copy();
    ConfigRecord config = ConfigRecord.builder().put(TrainKeys.TRAIN, TRAIN).put(RoundKeys.SEED, 5L).build();
    ClientContext ctx = new ClientContext(ClientId.of("alice"), "run", 1);
    FitResult fit = new TrainingClientApp(data, pool, TRAIN).fit(new FitInstruction(global, config), ctx);

    // The same training done by hand from the same start and seed.
    Model reference = SPEC.build(Shape.of(4), 3, 0);
    reference.loadParameters(global);
    new LocalTrainer().fit(reference, data, TRAIN, ctx.localSeed(5L));
    float[] expected = reference.parameters().data();
    for (int i = 0; i < expected.length; i++) {
      assertThat(global.data()[i] + fit.update().data()[i]).isCloseTo(expected[i], within(1e-6f));
    }
    assertThat(fit.examples()).isEqualTo(300);
    assertThat(fit.metrics().get("loss")).isPositive();
  }

  @Test
  void evaluate_reportsLocalLossAndAccuracy() {
    Dataset data = blobs();
    ModelPool pool = new ModelPool(SPEC, Shape.of(4), 3);
    ParameterSet global = pool.fresh(11).parameters().copy();
    EvaluateResult r = new TrainingClientApp(data, pool, TRAIN)
        .evaluate(new EvaluateInstruction(global, ConfigRecord.empty()), new ClientContext(ClientId.of("a"), "run", 1));
    assertThat(r.examples()).isEqualTo(300);
    assertThat(r.metrics().get("accuracy")).isBetween(0.0, 1.0);
  }
}
