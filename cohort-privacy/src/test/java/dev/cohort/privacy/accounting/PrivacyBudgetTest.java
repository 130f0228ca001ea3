package dev.cohort.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrivacyBudgetTest {

  @Test
  void budget_valid() {
    PrivacyBudget b = new PrivacyBudget(3.0, 1e-5);
    assertThat(b.epsilon()).isEqualTo(3.0);
    assertThat(b.delta()).isEqualTo(1e-5);
    assertThat(b).hasToString("(epsilon=3.0, delta=1.0E-5)");
  }

  @Test
  void budget_epsilonNotPositive_isRejected() {
    assertThatThrownBy(() -> new PrivacyBudget(0, 1e-5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epsilon must be finite and > 0 but was 0.0");
    assertThatThrownBy(() -> new PrivacyBudget(Double.POSITIVE_INFINITY, 1e-5))
        .hasMessage("epsilon must be finite and > 0 but was Infinity");
    assertThatThrownBy(() -> new PrivacyBudget(Double.NaN, 1e-5)).hasMessage("epsilon must be finite and > 0 but was NaN");
  }

  @Test
  void budget_deltaOutsideOpenUnitInterval_isRejected() {
    assertThatThrownBy(() -> new PrivacyBudget(1, 0)).hasMessage("delta must be in (0, 1) but was 0.0");
    assertThatThrownBy(() -> new PrivacyBudget(1, 1)).hasMessage("delta must be in (0, 1) but was 1.0");
    assertThatThrownBy(() -> new PrivacyBudget(1, -1e-5)).hasMessage("delta must be in (0, 1) but was -1.0E-5");
  }
}
