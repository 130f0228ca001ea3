package dev.cohort.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** erfc to full double precision; reference values from mpmath at 30 digits. */
class NormalTailsTest {

  @ParameterizedTest
  @CsvSource({
      "0.1, 0.8875370839817151", "0.5, 0.47950012218695346", "1, 0.15729920705028513",
      "1.9, 0.0072095707647425328", "2, 0.0046777349810472658", "2.1, 0.0029794666563329843",
      "3, 2.2090496998585441e-5", "5, 1.5374597944280349e-12", "10, 2.0884875837625448e-45",
      "26, 5.6631924088561428e-296"})
  void erfc_isAccurateInRelativeTerms(double x, double expected) {
    assertThat(NormalTails.erfc(x)).isCloseTo(expected, within(expected * 2e-15));
    assertThat(NormalTails.erfc(-x)).isCloseTo(2 - expected, within(4e-16));
  }

  @ParameterizedTest
  @CsvSource({"30, -903.97411711064388", "100, -10005.177585122664", "1000, -1000007.4801207219"})
  void logErfc_farTail(double x, double expected) {
    assertThat(NormalTails.logErfc(x)).isCloseTo(expected, within(Math.abs(expected) * 1e-15));
  }

  @Test
  void logCdf_farLeftTail() {
    assertThat(NormalTails.logCdf(-40)).isCloseTo(-804.60844201375379, within(1e-12));
  }

  @Test
  void interval_keepsPrecisionInBothTails() {
    assertThat(NormalTails.interval(0, 1, 9, 10)).isCloseTo(1.1285122074232760e-19, within(1.2e-32 * 10));
    assertThat(NormalTails.interval(0, 1, -10, -9)).isCloseTo(1.1285122074232760e-19, within(1.2e-32 * 10));
    assertThat(NormalTails.interval(0, 1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThat(NormalTails.interval(0, 1, 1, 1)).isZero();
  }
}
