package dev.cohort.privacy.budget;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.privacy.accounting.EpsilonBound;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.PrivacyBudget;
import dev.cohort.privacy.accounting.PrivacyEvent;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Enforces a privacy budget on a run: before each round it asks the accountant what epsilon the
 * round would bring the total to, and refuses the round (which ends the run) if that exceeds the
 * budget; after each completed round it charges the round, hands the new accountant to a
 * listener (the ledger, the run store) and reports the spend. The accountant starts from what the
 * data holders had already spent, so a budget is a lifetime budget, not a per-run one.
 * Not thread-safe; the coordinator calls it from one thread.
 */
public final class PrivacyBudgetGate implements RoundGate {
  private final PrivacyBudget budget;
  private final PrivacyEvent perRound;
  private final Consumer<PrivacyAccountant> onSpend;
  private PrivacyAccountant accountant;

  /**
   * @param budget the (epsilon, delta) that must never be exceeded
   * @param perRound what one round releases (e.g. a Poisson-subsampled Gaussian, one step)
   * @param spent the accountant holding everything already spent
   * @param onSpend called with the new accountant after each round is charged
   */
  public PrivacyBudgetGate(PrivacyBudget budget, PrivacyEvent perRound, PrivacyAccountant spent,
      Consumer<PrivacyAccountant> onSpend) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.perRound = Objects.requireNonNull(perRound, "perRound");
    this.accountant = Objects.requireNonNull(spent, "spent");
    this.onSpend = Objects.requireNonNull(onSpend, "onSpend");
  }

  @Override
  public Optional<String> refuse(int round) {
    if (!accountant.wouldExceed(budget, perRound)) {
      return Optional.empty();
    }
    EpsilonBound after = accountant.epsilonAfter(perRound, budget.delta());
    EpsilonBound now = accountant.epsilon(budget.delta());
    return Optional.of(String.format(Locale.ROOT,
        "the privacy budget (epsilon %s, delta %s) would be exceeded: round %d would raise epsilon from %.4f to %.4f",
        budget.epsilon(), budget.delta(), round, accountant.events().isEmpty() ? 0.0 : now.epsilon(),
        after.epsilon()));
  }

  @Override
  public MetricRecord completed(int round, MetricRecord measurements) {
    accountant = accountant.spend(perRound);
    onSpend.accept(accountant);
    return MetricRecord.of("privacy.epsilon", accountant.epsilon(budget.delta()).epsilon(),
        "privacy.delta", budget.delta());
  }

  /** Everything spent so far, including before this run. */
  public PrivacyAccountant accountant() {
    return accountant;
  }
}
