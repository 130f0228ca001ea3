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
        (holders, event, total) -> spends.add(total));
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
        new PrivacyBudgetGate.Group(List.of("big-holder"), light, PrivacyAccountant.create())), (h, e, t) -> { });
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
}
