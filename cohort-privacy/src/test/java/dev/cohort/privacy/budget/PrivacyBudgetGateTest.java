package dev.cohort.privacy.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.MetricRecord;
import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.accounting.PoissonSampledGaussian;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.PrivacyBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyBudgetGateTest {
  @TempDir Path dir;

  private static final PoissonSampledGaussian STEP = new PoissonSampledGaussian(1.1, 0.01, 600);

  @Test
  void gate_admitsRoundsUntilTheNextWouldExceedTheBudget() {
    PrivacyBudget budget = new PrivacyBudget(2.0, 1e-5);
    List<PrivacyAccountant> spends = new ArrayList<>();
    PrivacyBudgetGate gate = new PrivacyBudgetGate(budget, STEP, PrivacyAccountant.create(),
        (round, holders, event, total) -> spends.add(total));
    int round = 1;
    while (gate.refuse(round).isEmpty()) {
      MetricRecord m = gate.completed(round, MetricRecord.empty());
      assertThat(m.get("privacy.epsilon")).isLessThanOrEqualTo(2.0);
      round++;
    }
    assertThat(round).isGreaterThan(1);
    assertThat(gate.accountant().epsilon(1e-5).epsilon()).isLessThanOrEqualTo(2.0);
    assertThat(gate.accountant().epsilonAfter(STEP, 1e-5).epsilon()).isGreaterThan(2.0);
    assertThat(gate.refuse(round).orElseThrow()).contains("would be exceeded").contains("round " + round);
    assertThat(spends).hasSize(round - 1);
  }

  @Test
  void gate_withGroups_refusesWhenTheMostExposedGroupWouldExceed() {
    PrivacyBudget budget = new PrivacyBudget(8.0, 1e-5);
    PoissonSampledGaussian light = new PoissonSampledGaussian(2.0, 0.01, 10);
    PoissonSampledGaussian heavy = new PoissonSampledGaussian(1.0, 0.05, 20);
    PrivacyBudgetGate gate = new PrivacyBudgetGate(budget, List.of(
        new PrivacyBudgetGate.Group(List.of("small-holder"), heavy, PrivacyAccountant.create()),
        new PrivacyBudgetGate.Group(List.of("big-holder"), light, PrivacyAccountant.create())), (r, h, e, t) -> { });
    int round = 1;
    double reported = 0;
    while (gate.refuse(round).isEmpty()) {
      reported = gate.completed(round, MetricRecord.empty()).get("privacy.epsilon");
      round++;
    }
    assertThat(round).isGreaterThan(2);
    double heavyEps = PrivacyAccountant.create().spend(heavy.withSteps(20L * (round - 1))).epsilon(1e-5).epsilon();
    assertThat(reported).isCloseTo(heavyEps, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(gate.refuse(round).orElseThrow()).contains("small-holder");
  }

  @Test
  void ledger_remembersSpendAcrossOpens() throws Exception {
    Path file = dir.resolve("sub/ledger.tsv");
    PrivacyLedger ledger = PrivacyLedger.open(file);
    ledger.charge(List.of("bank/alice", "bank/bob"), STEP);
    ledger.charge(List.of("bank/alice"), STEP);

    PrivacyLedger again = PrivacyLedger.open(file);
    double alice = again.spent("bank/alice", Conversion.IMPROVED).epsilon(1e-5).epsilon();
    double bob = again.spent("bank/bob", Conversion.IMPROVED).epsilon(1e-5).epsilon();
    double twice = PrivacyAccountant.create().spend(STEP).spend(STEP).epsilon(1e-5).epsilon();
    assertThat(alice).isEqualTo(twice);
    assertThat(bob).isLessThan(alice);
    assertThat(again.mostSpent(List.of("bank/bob", "bank/alice"), Conversion.IMPROVED, 1e-5).epsilon(1e-5).epsilon())
        .isEqualTo(alice);
    assertThat(again.spent("bank/carol", Conversion.IMPROVED).events()).isEmpty();
  }

  @Test
  void ledger_corruptLine_isNamedNotSkipped() throws Exception {
    Path file = dir.resolve("ledger.tsv");
    Files.writeString(file, "# header\nbank/alice\t1.1\t0.01\t600\nbank/bob\tone\t0.01\t600\n");
    assertThatThrownBy(() -> PrivacyLedger.open(file)).hasMessageContaining("line 3");
  }

  /* --- ledger charges keyed by run and round --- */

  @Test
  void ledger_chargingTheSameRunAndRoundTwice_chargesOnce() throws Exception {
    Path file = dir.resolve("ledger.tsv");
    PrivacyLedger ledger = PrivacyLedger.open(file);
    assertThat(ledger.charge("store#1", 1, List.of("bank/alice", "bank/bob"), STEP)).isEqualTo(2);
    assertThat(ledger.charge("store#1", 1, List.of("bank/alice", "bank/bob"), STEP)).isZero();
    assertThat(ledger.charge("store#1", 2, List.of("bank/alice"), STEP)).isEqualTo(1);
    assertThat(ledger.charge("store#2", 1, List.of("bank/alice"), STEP)).isEqualTo(1);

    PrivacyLedger again = PrivacyLedger.open(file);
    assertThat(again.charge("store#1", 2, List.of("bank/alice", "bank/carol"), STEP)).isEqualTo(1);
    PrivacyAccountant thrice = PrivacyAccountant.create().spend(STEP).spend(STEP).spend(STEP);
    assertThat(PrivacyLedger.open(file).spent("bank/alice", Conversion.IMPROVED)).isEqualTo(thrice);
    assertThat(again.charged("bank/carol", "store#1", 2)).isTrue();
    assertThat(again.charged("bank/bob", "store#1", 2)).isFalse();
    assertThat(again.spentExcept("bank/alice", "store#1", Conversion.IMPROVED))
        .isEqualTo(PrivacyAccountant.create().spend(STEP));
    assertThat(again.mostSpentExcept(List.of("bank/bob", "bank/carol"), "store#1", Conversion.IMPROVED, 1e-5)
        .events()).isEmpty();
  }

  @Test
  void ledger_readsFirstFormatLinesBesideKeyedOnes() throws Exception {
    Path file = dir.resolve("ledger.tsv");
    Files.writeString(file, "# cohort privacy ledger v1\nbank/alice\t1.1\t0.01\t600\n"
        + "bank/alice\t1.1\t0.01\t600\trun-a\t1\nbank/alice\t1.1\t0.01\t600\trun-a\t1\n");
    PrivacyLedger ledger = PrivacyLedger.open(file);
    assertThat(ledger.spent("bank/alice", Conversion.IMPROVED))
        .isEqualTo(PrivacyAccountant.create().spend(STEP).spend(STEP));
  }

  @Test
  void ledger_badRunName_isRefused() throws Exception {
    PrivacyLedger ledger = PrivacyLedger.open(dir.resolve("l.tsv"));
    assertThatThrownBy(() -> ledger.charge("a\tb", 1, List.of("x"), STEP)).hasMessageContaining("tabs");
    assertThatThrownBy(() -> ledger.charge("a", 0, List.of("x"), STEP)).hasMessageContaining("round must be >= 1");
  }

  /* --- state and resume --- */

  @Test
  void restore_replacesTheAccountantsTheGateWasBuiltWith() {
    PrivacyBudget budget = new PrivacyBudget(50.0, 1e-5);
    PrivacyBudgetGate first = new PrivacyBudgetGate(budget, STEP, PrivacyAccountant.create(), (r, h, e, t) -> { });
    first.completed(1, MetricRecord.empty());
    first.completed(2, MetricRecord.empty());
    PrivacyBudgetGate second = new PrivacyBudgetGate(budget, STEP,
        PrivacyAccountant.create().spend(STEP).spend(STEP).spend(STEP), (r, h, e, t) -> { });
    second.restore(first.state());
    assertThat(second.accountant()).isEqualTo(first.accountant());
    assertThatThrownBy(() -> second.restore(new PrivacyBudgetGate.State(List.of())))
        .hasMessageContaining("0 accountants but the gate has 1 groups");
    assertThatThrownBy(() -> second.restore(dev.cohort.core.strategy.RoundGate.State.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A process charges round 4 to the ledger and dies before the round is committed with the gate's
   * state. The next process builds its gate from the ledger (which holds round 4), restores the state
   * committed after round 3 (through its bytes), and re-runs rounds 4 to 6: the ledger and the
   * accountant then hold six rounds, as an uninterrupted run's do, never seven.
   */
  @Test
  void crashBetweenLedgerChargeAndCommit_resumedRunChargesTheRerunRoundOnce() throws Exception {
    PrivacyBudget budget = new PrivacyBudget(50.0, 1e-5);
    List<String> holders = List.of("bank/alice", "bank/bob");
    PrivacyLedger ledger = PrivacyLedger.open(dir.resolve("crash.tsv"));
    PrivacyBudgetGate gate = gate(budget, holders, ledger, PrivacyAccountant.create());
    byte[] committed = null;
    for (int round = 1; round <= 4; round++) {
      gate.completed(round, MetricRecord.empty());
      if (round < 4) {
        committed = dev.cohort.privacy.state.StateCodec.encode(gate.state()); // the store's transaction
      }
    }
    // (killed here: round 4 is in the ledger, not in the store)

    PrivacyLedger reopened = PrivacyLedger.open(dir.resolve("crash.tsv"));
    PrivacyBudgetGate resumed = gate(budget, holders, reopened,
        reopened.mostSpent(holders, Conversion.IMPROVED, 1e-5));
    resumed.restore(dev.cohort.privacy.state.StateCodec.decodeGate(committed));
    for (int round = 4; round <= 6; round++) {
      assertThat(resumed.refuse(round)).isEmpty();
      resumed.completed(round, MetricRecord.empty());
    }

    PrivacyLedger uninterruptedLedger = PrivacyLedger.open(dir.resolve("straight.tsv"));
    PrivacyBudgetGate straight = gate(budget, holders, uninterruptedLedger, PrivacyAccountant.create());
    for (int round = 1; round <= 6; round++) {
      straight.completed(round, MetricRecord.empty());
    }
    PrivacyLedger after = PrivacyLedger.open(dir.resolve("crash.tsv"));
    for (String h : holders) {
      assertThat(after.spent(h, Conversion.IMPROVED))
          .isEqualTo(PrivacyLedger.open(dir.resolve("straight.tsv")).spent(h, Conversion.IMPROVED))
          .isEqualTo(PrivacyAccountant.restore(List.of(STEP.withSteps(6 * STEP.steps())), 
              dev.cohort.privacy.accounting.RenyiOrders.DEFAULT, Conversion.IMPROVED));
    }
    assertThat(resumed.accountant()).isEqualTo(straight.accountant());
  }

  private static PrivacyBudgetGate gate(PrivacyBudget budget, List<String> holders, PrivacyLedger ledger,
      PrivacyAccountant spent) {
    return new PrivacyBudgetGate(budget, List.of(new PrivacyBudgetGate.Group(holders, STEP, spent)),
        (round, h, e, total) -> ledger.charge("test-run", round, h, e));
  }
}
