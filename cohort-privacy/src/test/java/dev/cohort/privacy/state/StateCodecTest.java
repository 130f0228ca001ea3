package dev.cohort.privacy.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.aggregate.AggregationState;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.accounting.PoissonSampledGaussian;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.RenyiOrders;
import dev.cohort.privacy.aggregate.DpMeanFactory;
import dev.cohort.privacy.budget.PrivacyBudgetGate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateCodecTest {
  private static final PrivacyBudgetGate.State BUDGET = new PrivacyBudgetGate.State(List.of(
      PrivacyAccountant.create().spend(new PoissonSampledGaussian(1.1, 0.01, 600))
          .spend(new PoissonSampledGaussian(0.8, 1.0, 1)),
      PrivacyAccountant.create(RenyiOrders.OPACUS, Conversion.CLASSIC),
      PrivacyAccountant.create().spend(new PoissonSampledGaussian(Double.POSITIVE_INFINITY, 0.5, 3))));

  /* --- round trips --- */

  @Test
  void aggregationStates_roundTrip() {
    for (AggregationState s : List.of(AggregationState.NONE, new DpMeanFactory.ClipState(0.731),
        new DpMeanFactory.ClipState(Double.MIN_VALUE))) {
      assertThat(StateCodec.decodeAggregation(StateCodec.encode(s))).isEqualTo(s);
    }
  }

  @Test
  void gateStates_roundTripWithEqualAccountantsAndEpsilon() {
    assertThat(StateCodec.decodeGate(StateCodec.encode(RoundGate.State.NONE))).isEqualTo(RoundGate.State.NONE);
    PrivacyBudgetGate.State back = (PrivacyBudgetGate.State) StateCodec.decodeGate(StateCodec.encode(BUDGET));
    assertThat(back).isEqualTo(BUDGET);
    for (int i = 0; i < BUDGET.accountants().size(); i++) {
      assertThat(back.accountants().get(i).rdp()).isEqualTo(BUDGET.accountants().get(i).rdp());
    }
    assertThat(back.accountants().get(0).epsilon(1e-5)).isEqualTo(BUDGET.accountants().get(0).epsilon(1e-5));
  }

  @Test
  void encode_isDeterministic() {
    assertThat(StateCodec.encode(BUDGET)).isEqualTo(StateCodec.encode(StateCodec.decodeGate(StateCodec.encode(BUDGET))));
  }

  /* --- refusals --- */

  @Test
  void encode_unknownStateType_namesIt() {
    record Moments(double m) implements AggregationState {}
    record Custom() implements RoundGate.State {}
    assertThatThrownBy(() -> StateCodec.encode(new Moments(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Moments");
    assertThatThrownBy(() -> StateCodec.encode(new Custom())).hasMessageContaining("Custom");
  }

  @Test
  void decode_gateBytesAsAggregation_failsOnTheMagic() {
    assertThatThrownBy(() -> StateCodec.decodeAggregation(StateCodec.encode(BUDGET)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not start with \"CSTA\"");
  }

  @Test
  void decode_unknownVersion_saysWhichVersionsAreRead() {
    byte[] b = StateCodec.encode(new DpMeanFactory.ClipState(1));
    b[4] = 9;
    assertThatThrownBy(() -> StateCodec.decodeAggregation(b)).hasMessageContaining("version 9 is unknown")
        .hasMessageContaining("reads 1");
  }

  @Test
  void decode_unknownKind_isRefused() {
    byte[] b = StateCodec.encode(AggregationState.NONE);
    b[5] = 42;
    assertThatThrownBy(() -> StateCodec.decodeAggregation(b)).hasMessageContaining("unknown kind 42");
  }

  @Test
  void decode_everyTruncation_isRefusedNotMisread() {
    byte[] full = StateCodec.encode(new PrivacyBudgetGate.State(List.of(PrivacyAccountant.restore(
        List.of(new PoissonSampledGaussian(1.1, 0.01, 600)), RenyiOrders.of(2, 8, 32), Conversion.IMPROVED))));
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> StateCodec.decodeGate(cut)).as("first %d bytes", n)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void decode_trailingBytes_areRefused() {
    byte[] full = StateCodec.encode(new DpMeanFactory.ClipState(2));
    byte[] longer = Arrays.copyOf(full, full.length + 3);
    assertThatThrownBy(() -> StateCodec.decodeAggregation(longer)).hasMessageContaining("3 unexpected bytes");
  }

  @Test
  void decode_invalidValues_areRefusedWithTheirPlace() {
    byte[] clip = StateCodec.encode(new DpMeanFactory.ClipState(2));
    java.nio.ByteBuffer.wrap(clip).putDouble(6, -1.0);
    assertThatThrownBy(() -> StateCodec.decodeAggregation(clip)).hasMessageContaining("clipping norm");

    byte[] gate = StateCodec.encode(new PrivacyBudgetGate.State(List.of(
        PrivacyAccountant.create().spend(new PoissonSampledGaussian(1.0, 0.5, 1)))));
    // The last 8 bytes are the event's steps: 0 steps is not an event.
    java.nio.ByteBuffer.wrap(gate).putLong(gate.length - 8, 0);
    assertThatThrownBy(() -> StateCodec.decodeGate(gate)).hasMessageContaining("accountant 1")
        .hasMessageContaining("steps");
  }
}
