package dev.cohort.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Noise multipliers from target epsilons. */
class NoiseCalibrationTest {

  @ParameterizedTest
  @CsvSource({
      // tensorflow/privacy, tensorflow_privacy/privacy/analysis/compute_noise_from_budget_test.py,
      // test_compute_noise (n, batch, target epsilon, epochs, delta -> noise), asserted to 7 decimal
      // places there. Its targets are the classic-conversion epsilons of compute_dp_sgd_privacy_test,
      // with the same orders and ceil(epochs * n / batch) steps.
      "60000, 150, 0.941870567, 15, 1e-5, 1.3",
      "100000, 100, 1.70928734, 30, 1e-7, 1.0",
      "100000000, 1024, 5907984.81339406, 10, 1e-7, 0.1"})
  void noiseMultiplier_tfPrivacyComputeNoise_classic(int n, int batch, double target, double epochs,
      double delta, double expected) {
    double sigma = NoiseCalibration.noiseMultiplier(target, delta, (double) batch / n,
        (long) Math.ceil(epochs * n / batch), Conversion.CLASSIC, RenyiOrders.DEFAULT);
    assertThat(sigma).isCloseTo(expected, within(5e-8));
  }

  @ParameterizedTest
  @CsvSource({
      // pytorch/opacus, opacus/tests/accountants_test.py at commit
      // 030b723fb89aabf3cde663018bb63e5bb95f197a: test_get_noise_multiplier_rdp_epochs (target
      // epsilon 8, delta 1e-5, sample rate 0.04, 90 epochs = 2250 steps -> 1.416) and
      // test_get_noise_multiplier_rdp_steps (2000 steps -> 1.3562), both to 4 decimal places.
      "2250, 1.416", "2000, 1.3562"})
  void noiseMultiplier_opacusGetNoiseMultiplier(long steps, double opacus) {
    // Opacus's search stops once epsilon is within 0.01 below the target, so it returns a little
    // more noise than needed: the exact multiplier is just below its value, and its value spends
    // between 7.99 and 8 (up to the 4-decimal rounding of the published figure).
    double sigma = NoiseCalibration.noiseMultiplier(8, 1e-5, 0.04, steps, Conversion.IMPROVED, RenyiOrders.OPACUS);
    assertThat(sigma).isLessThan(opacus + 5e-5).isGreaterThan(opacus - 1e-3);
    double spent = new PoissonSampledGaussian(opacus, 0.04, steps).rdp(RenyiOrders.OPACUS)
        .epsilon(1e-5, Conversion.IMPROVED).epsilon();
    assertThat(spent).isBetween(7.99 - 1e-3, 8.0 + 1e-3);
  }

  @Test
  void noiseMultiplier_roundTripsThroughTheAccountant() {
    // Not a published value: the returned noise meets the target, and 0.1% less noise does not.
    for (Conversion c : Conversion.values()) {
      double sigma = NoiseCalibration.noiseMultiplier(3.0, 1e-5, 2048 / 60000.0, 1172, c, RenyiOrders.DEFAULT);
      RdpCurve at = new PoissonSampledGaussian(sigma, 2048 / 60000.0, 1172).rdp(RenyiOrders.DEFAULT);
      RdpCurve below = new PoissonSampledGaussian(sigma * 0.999, 2048 / 60000.0, 1172).rdp(RenyiOrders.DEFAULT);
      assertThat(at.epsilon(1e-5, c).epsilon()).isLessThanOrEqualTo(3.0).isGreaterThan(3.0 - 1e-9);
      assertThat(below.epsilon(1e-5, c).epsilon()).isGreaterThan(3.0);
    }
  }

  @Test
  void noiseMultiplier_growsAsTheTargetShrinks() {
    double previous = 0.0;
    for (double eps : new double[] {8, 4, 2, 1, 0.5}) {
      double sigma = NoiseCalibration.noiseMultiplier(eps, 1e-5, 0.01, 1000);
      assertThat(sigma).as("epsilon %s", eps).isGreaterThan(previous);
      previous = sigma;
    }
  }

  @Test
  void noiseMultiplier_samplingRateOne_matchesTheGaussianCalibration() {
    // dp_accounting rdp_privacy_accountant_test.py, test_compute_epsilon_delta_gaussian: noise
    // 4.530877117 gives exactly (1, 1e-6)-DP for one unsampled release over orders 1.001..99.999.
    RenyiOrders fine = RenyiOrders.of(java.util.stream.IntStream.range(1001, 100000)
        .mapToDouble(i -> 0.001 * i).toArray());
    double sigma = NoiseCalibration.noiseMultiplier(1.0, 1e-6, 1.0, 1, Conversion.IMPROVED, fine);
    assertThat(sigma).isCloseTo(4.530877117, within(1e-6));
  }

  @Test
  void noiseMultiplier_nothingSampled_needsNoNoise() {
    assertThat(NoiseCalibration.noiseMultiplier(1.0, 1e-5, 0.0, 100)).isZero();
  }

  @Test
  void noiseMultiplier_unreachableTarget_saysWhy() {
    // With delta 1e-5 and orders up to 512, the classic conversion never goes below
    // log(1e5) / 511 = 0.0225. (The improved one reaches 0 through its KL bound.)
    assertThatThrownBy(() -> NoiseCalibration.noiseMultiplier(
            0.001, 1e-5, 0.01, 100, Conversion.CLASSIC, RenyiOrders.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("target epsilon 0.001 is unreachable at delta 1.0E-5")
        .hasMessageContaining("largest order, 512.0");
  }

  @Test
  void noiseMultiplier_invalidArguments_nameTheParameter() {
    assertThatThrownBy(() -> NoiseCalibration.noiseMultiplier(0, 1e-5, 0.01, 100))
        .hasMessage("targetEpsilon must be finite and > 0 but was 0.0");
    assertThatThrownBy(() -> NoiseCalibration.noiseMultiplier(1, 1, 0.01, 100))
        .hasMessage("delta must be in (0, 1) but was 1.0");
    assertThatThrownBy(() -> NoiseCalibration.noiseMultiplier(1, 1e-5, 1.01, 100))
        .hasMessage("samplingRate must be in [0, 1] but was 1.01");
    assertThatThrownBy(() -> NoiseCalibration.noiseMultiplier(1, 1e-5, 0.01, 0))
        .hasMessage("steps must be >= 1 but was 0");
  }
}
