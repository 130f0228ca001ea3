package dev.cohort.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Gaussian DP: exact for unsampled Gaussians, a CLT estimate for subsampled ones. */
class GaussianDifferentialPrivacyTest {

  @Test
  void epsilon_unsampledGaussian_isExact() {
    // tensorflow/privacy compute_dp_sgd_privacy_test.py, no_subsampling_pld: two releases at noise
    // 0.7 and 0.35, delta 1e-5 -> 10.1224946 and 24.7160779 (dp_accounting's PLD, exact for the
    // Gaussian mechanism up to 8 digits). Two releases at noise s are (sqrt(2)/s)-GDP.
    assertThat(GaussianDifferentialPrivacy.epsilon(
        GaussianDifferentialPrivacy.mu(new PoissonSampledGaussian(0.7, 1.0, 2)), 1e-5))
        .isCloseTo(10.1224946, within(5e-8));
    assertThat(GaussianDifferentialPrivacy.epsilon(
        GaussianDifferentialPrivacy.mu(List.of(new PoissonSampledGaussian(0.35, 1.0, 1),
            new PoissonSampledGaussian(0.35, 1.0, 1))), 1e-5))
        .isCloseTo(24.7160779, within(5e-8));
  }

  @Test
  void epsilon_opacusGaussianAccountant() {
    // pytorch/opacus opacus/tests/accountants_test.py, test_gdp_accountant: noise 1.5, sample rate
    // 0.04, int(90 // 0.04) = 2249 steps (floor division in floating point), delta 1e-5 ->
    // 6.59 < epsilon < 6.6 (only that interval is published).
    double mu = GaussianDifferentialPrivacy.mu(new PoissonSampledGaussian(1.5, 0.04, 2249));
    assertThat(GaussianDifferentialPrivacy.epsilon(mu, 1e-5)).isBetween(6.59, 6.6);
  }

  @Test
  void delta_unsampledGaussian_boundedByRdpAndPld() {
    // Not a published value: the exact curve lies below both upper bounds.
    PoissonSampledGaussian event = new PoissonSampledGaussian(1.3, 1.0, 5);
    double mu = GaussianDifferentialPrivacy.mu(event);
    double rdp = PrivacyAccountant.create().spend(event).delta(2.0).delta();
    double pld = PldAccountant.pessimistic(List.of(event)).delta(2.0);
    double exact = GaussianDifferentialPrivacy.delta(mu, 2.0);
    assertThat(exact).isLessThanOrEqualTo(pld).isCloseTo(pld, within(1e-9));
    assertThat(exact).isLessThan(rdp);
  }

  @Test
  void edgeCases() {
    assertThat(GaussianDifferentialPrivacy.mu(new PoissonSampledGaussian(0.0, 0.1, 1))).isInfinite();
    assertThat(GaussianDifferentialPrivacy.mu(new PoissonSampledGaussian(2.0, 0.0, 1))).isZero();
    assertThat(GaussianDifferentialPrivacy.epsilon(0.0, 1e-5)).isZero();
    assertThat(GaussianDifferentialPrivacy.delta(Double.POSITIVE_INFINITY, 3.0)).isEqualTo(1.0);
    assertThatThrownBy(() -> GaussianDifferentialPrivacy.epsilon(1.0, 0.0))
        .hasMessage("delta must be in (0, 1) but was 0.0");
    assertThatThrownBy(() -> GaussianDifferentialPrivacy.delta(-1.0, 0.0)).hasMessage("mu must be >= 0 but was -1.0");
  }
}
