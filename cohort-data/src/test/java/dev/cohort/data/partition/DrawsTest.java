package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DrawsTest {
  /** Gamma(k, 1) has mean k and variance k; 200k draws pin both to about 1%. */
  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5, 1.0, 2.5, 10.0})
  void gamma_meanAndVarianceMatchShape(double shape) {
    RandomGenerator rng = new SplittableRandom(7);
    int n = 200_000;
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double g = Draws.gamma(rng, shape);
      assertThat(g).isGreaterThanOrEqualTo(0);
      sum += g;
      sq += g * g;
    }
    double mean = sum / n;
    double var = sq / n - mean * mean;
    assertThat(mean).isCloseTo(shape, within(0.03 * shape + 0.003));
    assertThat(var).isCloseTo(shape, within(0.08 * shape + 0.003));
  }

  @Test
  void logGamma_tinyShape_staysFinite() {
    RandomGenerator rng = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(Draws.logGamma(rng, 1e-3)).isFinite();
    }
  }

  @Test
  void dirichlet_sumsToOneWithMeanOneOverN() {
    RandomGenerator rng = new SplittableRandom(3);
    int parts = 5;
    double[] mean = new double[parts];
    int draws = 20_000;
    for (int t = 0; t < draws; t++) {
      double[] p = Draws.dirichlet(rng, 0.5, parts);
      assertThat(Arrays.stream(p).sum()).isCloseTo(1, within(1e-12));
      for (int j = 0; j < parts; j++) {
        assertThat(p[j]).isBetween(0.0, 1.0);
        mean[j] += p[j] / draws;
      }
    }
    for (double m : mean) {
      assertThat(m).isCloseTo(0.2, within(0.01));
    }
  }

  @Test
  void dirichlet_tinyAlpha_isStillAProbabilityVector() {
    RandomGenerator rng = new SplittableRandom(5);
    double[] p = Draws.dirichlet(rng, 1e-4, 100);
    assertThat(Arrays.stream(p).sum()).isCloseTo(1, within(1e-9));
    assertThat(Arrays.stream(p).max().orElseThrow()).isGreaterThan(0.5); // nearly all mass on one part
  }

  @Test
  void permutation_containsEachIndexOnce() {
    int[] p = Draws.permutation(1000, new SplittableRandom(9));
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
    assertThat(p).isNotEqualTo(sorted);
  }
}
