package dev.cohort.train.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.tensor.kernel.VectorGemm;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dense layer large enough for the fused backward sweep ({@link Dense#FUSED_MIN_WEIGHTS}): with
 * the sum sink writing into the parameters themselves (a fused SGD step), the input gradient must
 * still use the weights from before the step, and the results must not depend on how the sweep
 * is split over threads.
 */
class DenseFusedBackwardTest {
  private static final int IN = 1061;
  private static final int OUT = 1000;
  /** Enough for {@code BATCH * IN * OUT} to reach {@code VectorGemm.PARALLEL_THRESHOLD}. */
  private static final int BATCH = 8;
  private static final float ALPHA = -0.25f;

  @AfterEach
  void restoreThreads() {
    Kernels.setIntraOpThreads(1);
  }

  @Test
  void fusedStep_matchesSeparateProducts() {
    assertThat((long) IN * OUT).isGreaterThanOrEqualTo(Dense.FUSED_MIN_WEIGHTS);
    Run r = run(1, Parallelism.SERIAL);
    for (int b = 0; b < BATCH; b++) {
      for (int j = 0; j < IN; j++) {
        double expected = 0;
        for (int o = 0; o < OUT; o++) {
          expected += (double) r.g[b * OUT + o] * r.before[o * IN + j];
        }
        assertThat(r.gradIn[b * IN + j]).as("gradIn[%d, %d]", b, j)
            .isCloseTo((float) expected, within(1e-3f));
      }
    }
    for (int o = 0; o < OUT; o++) {
      double bias = 0;
      for (int b = 0; b < BATCH; b++) {
        bias += r.g[b * OUT + o];
      }
      assertThat(r.after[OUT * IN + o]).isCloseTo((float) (r.before[OUT * IN + o] + ALPHA * bias),
          within(1e-4f));
      for (int j = 0; j < IN; j += 7) {
        double w = 0;
        for (int b = 0; b < BATCH; b++) {
          w += (double) r.g[b * OUT + o] * r.x[b * IN + j];
        }
        assertThat(r.after[o * IN + j]).as("weight[%d, %d]", o, j)
            .isCloseTo((float) (r.before[o * IN + j] + ALPHA * w), within(1e-4f));
      }
    }
  }

  @Test
  void fusedStep_sameBitsForEveryThreadSplit() {
    assertThat((long) BATCH * IN * OUT).isGreaterThanOrEqualTo(VectorGemm.PARALLEL_THRESHOLD);
    Run one = run(1, Parallelism.SERIAL);
    Run kernels = run(2, Parallelism.SERIAL);
    Run layers = run(1, Parallelism.of(2));
    // isEqualTo compares element by element (Arrays.equals); containsExactly is quadratic here.
    assertThat(kernels.gradIn).isEqualTo(one.gradIn);
    assertThat(kernels.after).isEqualTo(one.after);
    assertThat(layers.gradIn).isEqualTo(one.gradIn);
    assertThat(layers.after).isEqualTo(one.after);
  }

  private record Run(float[] x, float[] g, float[] before, float[] after, float[] gradIn) {}

  private static Run run(int intraOpThreads, Parallelism parallelism) {
    Kernels.setIntraOpThreads(intraOpThreads);
    Dense dense = new Dense("dense0", Shape.of(IN), OUT);
    ParameterLayout.Builder builder = ParameterLayout.builder();
    dense.declareParameters(builder);
    float[] params = new float[builder.build().totalSize()];
    dense.bind(builder.build(), params);
    dense.initialize(new SplittableRandom(7L));
    dense.setParallelism(parallelism);
    SplittableRandom random = new SplittableRandom(8L);
    float[] x = random(random, BATCH * IN);
    float[] g = random(random, BATCH * OUT);
    float[] before = params.clone();
    float[] gradIn = new float[BATCH * IN];
    dense.backward(x, new float[BATCH * OUT], g, gradIn, BATCH,
        new GradientSink.Sum(params, ALPHA, true));
    return new Run(x, g, before, params, gradIn);
  }

  private static float[] random(SplittableRandom random, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) random.nextDouble(-1, 1);
    }
    return v;
  }
}
