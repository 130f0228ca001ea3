package dev.cohort.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyBudgetTest {
  @Test
  void reserve_grantsWhatFitsAndQueuesTheRestInOrder() {
    ReplyBudget b = new ReplyBudget(10);
    List<String> granted = new ArrayList<>();
    assertThat(b.reserve(6, () -> granted.add("a"))).isNull();
    ReplyBudget.Ticket t1 = b.reserve(6, () -> granted.add("b"));
    ReplyBudget.Ticket t2 = b.reserve(1, () -> granted.add("c")); // fits, but waits its turn behind b
    assertThat(t1).isNotNull();
    assertThat(t2).isNotNull();
    b.release(6);
    assertThat(granted).containsExactly("b", "c");
    assertThat(b.used()).isEqualTo(7);
    assertThat(b.peak()).isEqualTo(7);
  }

  @Test
  void reserve_largerThanTheBudget_passesAloneWhenNothingIsHeld() {
    ReplyBudget b = new ReplyBudget(10);
    List<String> granted = new ArrayList<>();
    assertThat(b.reserve(4, () -> {})).isNull();
    assertThat(b.reserve(50, () -> granted.add("big"))).isNotNull();
    b.release(4);
    assertThat(granted).containsExactly("big");
    assertThat(b.used()).isEqualTo(50);
  }

  @Test
  void cancel_removesAWaitingTicketSoItIsNeverGranted() {
    ReplyBudget b = new ReplyBudget(10);
    List<String> granted = new ArrayList<>();
    b.reserve(10, () -> {});
    ReplyBudget.Ticket t = b.reserve(5, () -> granted.add("x"));
    assertThat(b.cancel(t)).isTrue();
    b.release(10);
    assertThat(granted).isEmpty();
    assertThat(b.used()).isZero();
  }
}
