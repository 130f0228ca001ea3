package dev.cohort.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Composition and both RDP-to-(epsilon, delta) conversions. */
class RdpCurveTest {
  private static final RenyiOrders TWO_TO_32 =
      RenyiOrders.of(IntStream.rangeClosed(2, 32).asDoubleStream().toArray());

  private static RdpCurve constant(double value) {
    double[] values = new double[TWO_TO_32.size()];
    Arrays.fill(values, value);
    return RdpCurve.of(TWO_TO_32, values);
  }

  /** Orders 1.001, 1.002, ..., 99.999, as in the source's range(1000, 100000) less order 1.0. */
  private static RenyiOrders fineOrders() {
    return RenyiOrders.of(IntStream.range(1001, 100000).mapToDouble(i -> 0.001 * i).toArray());
  }

  /* --- improved conversion (Balle et al. 2020) --- */

  @Test
  void epsilon_improved_pureDpCurve() {
    // google/differential-privacy dp_accounting rdp_privacy_accountant_test.py,
    // test_compute_epsilon_delta_pure_dp (and tensorflow/privacy rdp_accountant_test.py,
    // test_get_privacy_spent_check_target_delta): orders 2..32, RDP 1.1 everywhere, delta 1e-5
    // -> epsilon 1.32783806176 at order 32.
    EpsilonBound e = constant(1.1).epsilon(1e-5, Conversion.IMPROVED);
    assertThat(e.epsilon()).isCloseTo(1.32783806176, within(1e-10));
    assertThat(e.order()).isEqualTo(32);
    assertThat(e.conversion()).isEqualTo(Conversion.IMPROVED);
  }

  @Test
  void delta_improved_pureDpCurve() {
    // Same sources, the reverse direction: epsilon 1.32783806176 -> delta 1e-5 at order 32.
    DeltaBound d = constant(1.1).delta(1.32783806176, Conversion.IMPROVED);
    assertThat(d.delta()).isCloseTo(1e-5, within(1e-14));
    assertThat(d.order()).isEqualTo(32);
  }

  @Test
  void epsilonAndDelta_improved_unsampledGaussianCalibratedToOneAndOneMillionth() {
    // dp_accounting rdp_privacy_accountant_test.py, test_compute_epsilon_delta_gaussian (and TF
    // Privacy test_get_privacy_spent_check_target_delta / _target_eps): sampling rate 1, noise
    // 4.530877117 "chosen to obtain exactly (1, 1e-6)-DP", orders 0.001 * i for i in
    // range(1000, 100000): epsilon at delta 1e-6 is 1 and delta at epsilon 1 is 1e-6, both to 7
    // decimal places. Order 1.0 is left out here: it never gives the minimum.
    RdpCurve rdp = new PoissonSampledGaussian(4.530877117, 1.0, 1).rdp(fineOrders());
    assertThat(rdp.epsilon(1e-6, Conversion.IMPROVED).epsilon()).isCloseTo(1.0, within(5e-8));
    assertThat(rdp.delta(1.0, Conversion.IMPROVED).delta()).isCloseTo(1e-6, within(5e-8));
  }

  /* --- classic conversion (Mironov 2017) --- */

  @Test
  void epsilon_classic_pureDpCurve() {
    // Mironov 2017 Proposition 3 by hand: 1.1 + log(1e5) / 31 at order 32.
    EpsilonBound e = constant(1.1).epsilon(1e-5, Conversion.CLASSIC);
    assertThat(e.epsilon()).isCloseTo(1.1 + Math.log(1e5) / 31, within(1e-14));
    assertThat(e.order()).isEqualTo(32);
  }

  @Test
  void epsilon_classicNeverBeatsImproved() {
    RdpCurve rdp = new PoissonSampledGaussian(1.1, 0.01, 5000).rdp(RenyiOrders.DEFAULT);
    for (double delta : new double[] {0.1, 1e-3, 1e-5, 1e-9}) {
      assertThat(rdp.epsilon(delta, Conversion.IMPROVED).epsilon())
          .isLessThan(rdp.epsilon(delta, Conversion.CLASSIC).epsilon());
    }
  }

  /* --- consistency and edge cases --- */

  @Test
  void deltaOfEpsilon_invertsEpsilonOfDelta() {
    // Not a published value: dp_accounting's test_epsilon_delta_consistency property.
    for (Conversion c : Conversion.values()) {
      for (double q : new double[] {0.01, 0.1, 0.8, 1}) {
        for (double sigma : new double[] {0.5, 1, 10}) {
          RdpCurve rdp = new PoissonSampledGaussian(sigma, q, 1).rdp(TWO_TO_32);
          for (double delta : new double[] {0.1, 1e-3, 1e-5, 1e-9}) {
            double eps = rdp.epsilon(delta, c).epsilon();
            if (eps > 0) {
              assertThat(rdp.delta(eps, c).delta()).as("%s q=%s sigma=%s", c, q, sigma)
                  .isCloseTo(delta, within(delta * 1e-9));
            }
          }
        }
      }
    }
  }

  @Test
  void epsilon_zeroCurve_isZeroUnderBothConversions() {
    RdpCurve zero = RdpCurve.zero(RenyiOrders.DEFAULT);
    assertThat(zero.epsilon(1e-5, Conversion.CLASSIC).epsilon()).isZero();
    assertThat(zero.epsilon(1e-5, Conversion.IMPROVED).epsilon()).isZero();
    assertThat(zero.delta(0.0, Conversion.CLASSIC).delta()).isZero();
  }

  @Test
  void epsilon_infiniteCurve_isInfiniteAndDeltaIsOne() {
    RdpCurve none = new PoissonSampledGaussian(0, 0.1, 3).rdp(RenyiOrders.DEFAULT);
    assertThat(none.epsilon(1e-5, Conversion.IMPROVED).epsilon()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(none.delta(100, Conversion.CLASSIC).delta()).isEqualTo(1.0);
  }

  @Test
  void epsilon_improvedUsesKlBoundForLargeDelta() {
    // Bretagnolle-Huber: delta >= sqrt(1 - exp(-rho)) gives epsilon 0, as in dp_accounting.
    RdpCurve tiny = RdpCurve.of(RenyiOrders.of(2, 3), 1e-6, 2e-6);
    assertThat(tiny.epsilon(0.01, Conversion.IMPROVED).epsilon()).isZero();
    assertThat(tiny.epsilon(0.01, Conversion.CLASSIC).epsilon()).isPositive();
  }

  @Test
  void plusAndTimes_compose() {
    RdpCurve a = RdpCurve.of(RenyiOrders.of(2, 4), 0.5, 1.0);
    assertThat(a.plus(a).values()).containsExactly(1.0, 2.0);
    assertThat(a.times(3).values()).containsExactly(1.5, 3.0);
    assertThatThrownBy(() -> a.plus(RdpCurve.zero(RenyiOrders.of(2, 5))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("curves must track the same orders");
  }

  @Test
  void invalidArguments_nameTheParameter() {
    RdpCurve a = RdpCurve.of(RenyiOrders.of(2), 0.5);
    assertThatThrownBy(() -> a.epsilon(0, Conversion.CLASSIC)).hasMessage("delta must be in (0, 1) but was 0.0");
    assertThatThrownBy(() -> a.delta(-1, Conversion.CLASSIC))
        .hasMessage("epsilon must be finite and >= 0 but was -1.0");
    assertThatThrownBy(() -> RdpCurve.of(RenyiOrders.of(2), -0.5)).hasMessage("values[0] must be >= 0 but was -0.5");
    assertThatThrownBy(() -> RdpCurve.of(RenyiOrders.of(2, 3), 0.5))
        .hasMessage("values must have one entry per order (2) but had 1");
    assertThatThrownBy(() -> Conversion.parse("tight")).hasMessage("conversion must be improved or classic but was tight");
    assertThat(Conversion.parse("Classic")).isEqualTo(Conversion.CLASSIC);
  }
}
