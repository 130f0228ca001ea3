package dev.cohort.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The PLD accountant against dp_accounting's PLD values, the exact Gaussian, and RDP. */
class PldAccountantTest {

  private static double rdpEpsilon(RenyiOrders orders, double delta, PrivacyEvent... events) {
    PrivacyAccountant a = PrivacyAccountant.create(orders, Conversion.IMPROVED);
    for (PrivacyEvent e : events) {
      a = a.spend(e);
    }
    return a.epsilon(delta).epsilon();
  }

  @Test
  void epsilon_unsampledGaussian_matchesExactAndDpAccountingPld() {
    // tensorflow/privacy compute_dp_sgd_privacy_test.py, test_compute_dp_sgd_example_privacy,
    // no_subsampling_pld cases (dp_accounting's PLDAccountant, delta 1e-5, 2 releases): noise 0.7
    // -> 10.1224946, noise 0.35 -> 24.7160779. Both are the exact Gaussian values (Balle and Wang
    // 2018), which the pessimistic PLD meets from above within its discretization error.
    for (double[] c : new double[][] {{0.7, 10.1224946}, {0.35, 24.7160779}}) {
      List<PrivacyEvent> events = List.of(new PoissonSampledGaussian(c[0], 1.0, 2));
      double pessimistic = PldAccountant.pessimistic(events).epsilon(1e-5);
      double optimistic = PldAccountant.optimistic(events, 1e-4).epsilon(1e-5);
      assertThat(pessimistic).isCloseTo(c[1], within(5e-8));
      assertThat(optimistic).isLessThanOrEqualTo(pessimistic).isCloseTo(c[1], within(2e-4));
    }
  }

  @Test
  void epsilon_subsampled_matchesDpAccountingPldAndBeatsRdp() {
    // tensorflow/privacy compute_dp_sgd_privacy_test.py, no_microbatching_with_subsampling_pld:
    // noise 0.7, sampling rate 0.01, ceil(1.2 / 0.01) = 120 steps, delta 1e-5 -> 2.4612381 with
    // dp_accounting's PLDAccountant (pessimistic, discretization 1e-4). Its RDP figure for the same
    // setting is 3.2392676.
    List<PrivacyEvent> events = List.of(new PoissonSampledGaussian(0.7, 0.01, 120));
    double pessimistic = PldAccountant.pessimistic(events).epsilon(1e-5);
    double optimistic = PldAccountant.optimistic(events, 1e-5).epsilon(1e-5);
    assertThat(pessimistic).isCloseTo(2.4612381, within(5e-7));
    assertThat(optimistic).isLessThanOrEqualTo(2.4612381).isGreaterThan(2.4612381 - 2e-3);
    assertThat(pessimistic).isLessThan(rdpEpsilon(RenyiOrders.DP_ACCOUNTING, 1e-5, events.getFirst()));
  }

  @Test
  void epsilon_opacusSetting_isTighterThanRdp() {
    // Not a published PLD value: Opacus's RDP test setting (noise 1.5, rate 0.04, 2250 steps),
    // where RDP gives 7.32911117143. PLD must be below it, and its bracket must hold.
    PoissonSampledGaussian event = new PoissonSampledGaussian(1.5, 0.04, 2250);
    double pessimistic = PldAccountant.pessimistic(List.of(event)).epsilon(1e-5);
    double optimistic = PldAccountant.optimistic(List.of(event), 1e-4).epsilon(1e-5);
    assertThat(optimistic).isLessThanOrEqualTo(pessimistic);
    assertThat(pessimistic).isLessThan(rdpEpsilon(RenyiOrders.OPACUS, 1e-5, event)).isGreaterThan(6.0);
  }

  @Test
  void epsilon_heterogeneousEvents_composeAndStayBelowRdp() {
    PoissonSampledGaussian first = new PoissonSampledGaussian(1.1, 0.02, 300);
    PoissonSampledGaussian second = new PoissonSampledGaussian(0.9, 0.01, 200);
    double both = PldAccountant.pessimistic(List.of(first, second)).epsilon(1e-5);
    double onlyFirst = PldAccountant.pessimistic(List.of(first)).epsilon(1e-5);
    double reversed = PldAccountant.pessimistic(List.of(second, first)).epsilon(1e-5);
    assertThat(both).isGreaterThan(onlyFirst).isCloseTo(reversed, within(1e-9));
    assertThat(both).isLessThan(rdpEpsilon(RenyiOrders.DEFAULT, 1e-5, first, second));
  }

  @Test
  void deltaOfEpsilon_invertsEpsilonOfDelta() {
    PldAccountant pld = PldAccountant.pessimistic(List.of(new PoissonSampledGaussian(1.0, 0.05, 400)));
    for (double delta : new double[] {1e-3, 1e-5, 1e-8}) {
      double eps = pld.epsilon(delta);
      assertThat(pld.delta(eps)).isCloseTo(delta, within(delta * 1e-9));
    }
  }

  @Test
  void edgeCases_nothingReleasedAndNoNoise() {
    assertThat(PldAccountant.pessimistic(List.of()).epsilon(1e-5)).isZero();
    assertThat(PldAccountant.pessimistic(List.of(new PoissonSampledGaussian(1.0, 0.0, 10))).delta(0.0)).isZero();
    assertThat(PldAccountant.pessimistic(
        List.of(new PoissonSampledGaussian(Double.POSITIVE_INFINITY, 0.5, 10))).epsilon(1e-9)).isZero();
    // No noise: a sampled record is seen outright with probability q per step.
    PldAccountant exposed = PldAccountant.pessimistic(List.of(new PoissonSampledGaussian(0.0, 0.01, 3)));
    assertThat(exposed.delta(5.0)).isCloseTo(1 - Math.pow(0.99, 3), within(1e-12));
    assertThat(exposed.epsilon(0.01)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PldAccountant.pessimistic(List.of(new PoissonSampledGaussian(0.0, 1.0, 1))).delta(100)).isEqualTo(1.0);
  }

  @Test
  void invalidArguments_nameTheParameter() {
    assertThatThrownBy(() -> PldAccountant.pessimistic(List.of(), 0.0))
        .hasMessage("discretization must be in (0, 1] but was 0.0");
    PldAccountant pld = PldAccountant.pessimistic(List.of());
    assertThatThrownBy(() -> pld.epsilon(1.0)).hasMessage("delta must be in (0, 1) but was 1.0");
    assertThatThrownBy(() -> pld.delta(Double.NaN)).hasMessage("epsilon must be finite and >= 0 but was NaN");
  }
}
