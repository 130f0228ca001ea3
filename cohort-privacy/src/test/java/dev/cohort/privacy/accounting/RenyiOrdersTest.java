package dev.cohort.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RenyiOrdersTest {

  @Test
  void defaults_matchTheLibrariesLists() {
    // TF Privacy compute_dp_sgd_privacy_lib.py: [1.25, 1.5, 1.75, 2., 2.25, 2.5, 3., 3.5, 4., 4.5]
    // + list(range(5, 64)) + [128, 256, 512].
    assertThat(RenyiOrders.DEFAULT.size()).isEqualTo(10 + 59 + 3);
    assertThat(RenyiOrders.DEFAULT.get(0)).isEqualTo(1.25);
    assertThat(RenyiOrders.DEFAULT.get(10)).isEqualTo(5.0);
    assertThat(RenyiOrders.DEFAULT.get(71)).isEqualTo(512.0);
    // Opacus RDPAccountant.DEFAULT_ALPHAS: [1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64)).
    assertThat(RenyiOrders.OPACUS.size()).isEqualTo(99 + 52);
    assertThat(RenyiOrders.OPACUS.get(28)).isEqualTo(3.9);
    // dp_accounting DEFAULT_RDP_ORDERS: the same fractions + list(range(11, 64)) + [128, 256, 512, 1024].
    assertThat(RenyiOrders.DP_ACCOUNTING.size()).isEqualTo(99 + 53 + 4);
    assertThat(RenyiOrders.DP_ACCOUNTING.get(155)).isEqualTo(1024.0);
  }

  @Test
  void of_copiesAndRoundTripsThroughList() {
    double[] raw = {2, 3.5, Double.POSITIVE_INFINITY};
    RenyiOrders orders = RenyiOrders.of(raw);
    raw[0] = 99;
    assertThat(orders.get(0)).isEqualTo(2.0);
    assertThat(RenyiOrders.of(orders.asList())).isEqualTo(orders);
    assertThat(orders.asList()).isEqualTo(List.of(2.0, 3.5, Double.POSITIVE_INFINITY));
  }

  @Test
  void of_invalidOrder_namesIndexAndValue() {
    assertThatThrownBy(() -> RenyiOrders.of(2, 1.0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("orders[1] must be in (1, 1000000.0] or +infinity but was 1.0");
    assertThatThrownBy(() -> RenyiOrders.of(2e6)).hasMessageStartingWith("orders[0] must be in (1, ");
    assertThatThrownBy(() -> RenyiOrders.of(new double[0])).hasMessage("orders must not be empty");
  }
}
