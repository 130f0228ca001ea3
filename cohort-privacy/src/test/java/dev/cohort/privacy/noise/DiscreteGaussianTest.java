package dev.cohort.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The sampler's output against the discrete Gaussian's definition: its probability mass
 * exp(-x^2 / (2 sigma^2)) / sum_y exp(-y^2 / (2 sigma^2)), computed independently here.
 */
class DiscreteGaussianTest {
  private static final int SAMPLES = 200_000;

  private static double pmf(int x, double sigma) {
    double norm = 0;
    for (int y = -2000; y <= 2000; y++) {
      norm += Math.exp(-(double) y * y / (2 * sigma * sigma));
    }
    return Math.exp(-(double) x * x / (2 * sigma * sigma)) / norm;
  }

  @ParameterizedTest(name = "sigma = {0}")
  @ValueSource(doubles = {0.7, 1.5, 4.0, 20.0})
  void histogramMatchesTheExactMass(double sigma) {
    DiscreteGaussian g = new DiscreteGaussian(sigma, ChaCha20Random.seededForTests(7));
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < SAMPLES; i++) {
      counts.merge((int) g.sample(), 1, Integer::sum);
    }
    // Pool the tails so each cell expects at least 20 samples; chi-square against the exact mass.
    int edge = 0;
    while (SAMPLES * pmf(edge + 1, sigma) >= 20) {
      edge++;
    }
    double chi2 = 0;
    double tailExpected = 0;
    long tailObserved = 0;
    for (var e : counts.entrySet()) {
      if (Math.abs(e.getKey()) > edge) {
        tailObserved += e.getValue();
      }
    }
    for (int x = -edge; x <= edge; x++) {
      double expected = SAMPLES * pmf(x, sigma);
      double observed = counts.getOrDefault(x, 0);
      chi2 += (observed - expected) * (observed - expected) / expected;
    }
    for (int x = edge + 1; x < 2000; x++) {
      tailExpected += 2 * SAMPLES * pmf(x, sigma);
    }
    if (tailExpected > 0) {
      chi2 += (tailObserved - tailExpected) * (tailObserved - tailExpected) / Math.max(tailExpected, 1);
    }
    int dof = 2 * edge + 1;
    // Mean + 5 standard deviations of chi-square(dof): a failure rate far below 1e-6.
    assertThat(chi2).isLessThan(dof + 5 * Math.sqrt(2.0 * dof));
  }

  @Test
  void varianceMatchesTheExactVariance_forALargeScale() {
    double sigma = 1000;
    DiscreteGaussian g = new DiscreteGaussian(sigma, ChaCha20Random.seededForTests(3));
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < SAMPLES; i++) {
      long x = g.sample();
      sum += x;
      squares += (double) x * x;
    }
    double mean = sum / SAMPLES;
    double variance = squares / SAMPLES - mean * mean;
    assertThat(mean).isCloseTo(0, within(5 * sigma / Math.sqrt(SAMPLES)));
    assertThat(variance / DiscreteGaussian.variance(sigma)).isCloseTo(1, within(0.02));
  }

  @Test
  void exactVariance_isBelowSigmaSquaredForSmallScales_andEqualForLargeOnes() {
    // By Poisson summation the variance is sigma^2 (1 - 4 pi^2 sigma^2 e^(-2 pi^2 sigma^2) + ...):
    // about 1 - 1.1e-7 at sigma = 1 (Canonne, Kamath and Steinke 2020).
    assertThat(DiscreteGaussian.variance(1.0)).isCloseTo(1.0, within(1e-6)).isLessThan(1.0);
    assertThat(DiscreteGaussian.variance(0.5)).isLessThan(0.25);
    assertThat(DiscreteGaussian.variance(10)).isCloseTo(100, within(1e-9));
  }

  @Test
  void sigmaOutOfRange_isRefused() {
    assertThatThrownBy(() -> new DiscreteGaussian(0.3, ChaCha20Random.seededForTests(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigma must be in [0.5, 2^52]");
  }
}
