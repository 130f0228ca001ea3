package dev.cohort.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaplaceNoiseTest {
  @Test
  void snap_isTheSmallestPowerOfTwoAtLeastLambda() {
    assertThat(new LaplaceNoise(1.0, 100, ChaCha20Random.seededForTests(1)).snap()).isEqualTo(1.0);
    assertThat(new LaplaceNoise(1.5, 100, ChaCha20Random.seededForTests(1)).snap()).isEqualTo(2.0);
    assertThat(new LaplaceNoise(0.3, 100, ChaCha20Random.seededForTests(1)).snap()).isEqualTo(0.5);
  }

  @Test
  void outputs_areSnappedAndClamped() {
    LaplaceNoise noise = new LaplaceNoise(0.3, 2.0, ChaCha20Random.seededForTests(2));
    for (int i = 0; i < 10_000; i++) {
      double y = noise.add(1.9);
      assertThat(y).isBetween(-2.0, 2.0);
      assertThat(y / 0.5).isEqualTo(Math.rint(y / 0.5));
    }
  }

  @Test
  void noise_followsTheLaplaceTailAtTheSnappedPoints() {
    // With a bound far away, P(|Y| >= k * snap) for the snapped output is close to the Laplace tail
    // exp(-(k - 1/2) * snap / lambda) for k >= 1 (rounding to nearest moves the threshold by half a step).
    double lambda = 1.0;
    LaplaceNoise noise = new LaplaceNoise(lambda, 1e6, ChaCha20Random.seededForTests(3));
    int n = 400_000;
    int[] beyond = new int[4];
    for (int i = 0; i < n; i++) {
      double y = Math.abs(noise.add(0.0));
      for (int k = 1; k <= 4; k++) {
        if (y >= k) {
          beyond[k - 1]++;
        }
      }
    }
    for (int k = 1; k <= 4; k++) {
      double expected = Math.exp(-(k - 0.5) / lambda);
      double se = Math.sqrt(expected * (1 - expected) / n);
      assertThat(beyond[k - 1] / (double) n).as("P(|Y| >= %d)", k).isCloseTo(expected,
          org.assertj.core.api.Assertions.within(6 * se));
    }
  }

  @Test
  void uniform_coversTheLowBinades() {
    LaplaceNoise noise = new LaplaceNoise(1.0, 10, ChaCha20Random.seededForTests(4));
    int below = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      double u = noise.uniformOpenClosed();
      assertThat(u).isGreaterThan(0).isLessThan(1);
      if (u < 0.25) {
        below++;
      }
    }
    assertThat(below / (double) n).isBetween(0.24, 0.26);
  }
}
