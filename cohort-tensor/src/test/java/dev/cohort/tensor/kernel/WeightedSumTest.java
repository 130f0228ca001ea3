package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WeightedSumTest {
  @AfterEach
  void singleThreaded() {
    Kernels.setIntraOpThreads(1);
  }

  @ParameterizedTest(name = "{0} inputs of {1} floats on {2} threads")
  @CsvSource({"1,1,1", "2,17,1", "3,100,1", "4,4099,1", "5,2048,1", "7,300001,2", "8,262144,2", "11,5000,1",
      "0,10,1", "13,600000,2"})
  void accumulate_matchesScalarSum(int count, int n, int threads) {
    Kernels.setIntraOpThreads(threads);
    SplittableRandom rng = new SplittableRandom(count * 31L + n);
    float[][] xs = new float[Math.max(count, 1)][n];
    float[] ws = new float[Math.max(count, 1)];
    float[] acc = new float[n];
    double[] expected = new double[n];
    for (int j = 0; j < n; j++) {
      acc[j] = (float) rng.nextGaussian();
      expected[j] = acc[j];
    }
    for (int i = 0; i < count; i++) {
      ws[i] = (float) rng.nextDouble(0, 3);
      for (int j = 0; j < n; j++) {
        xs[i][j] = (float) rng.nextGaussian();
        expected[j] += (double) ws[i] * xs[i][j];
      }
    }
    WeightedSum.accumulate(acc, xs, ws, count);
    for (int j = 0; j < n; j++) {
      assertThat((double) acc[j]).as("element %d", j).isCloseTo(expected[j], within(1e-4 * (1 + count)));
    }
  }

  @Test
  void accumulate_inputOfWrongLength_isNamed() {
    assertThatThrownBy(() -> WeightedSum.accumulate(new float[4], new float[][] {new float[4], new float[3]},
        new float[] {1, 1}, 2)).hasMessage("input 1 has 3 elements but the accumulator has 4");
  }
}
