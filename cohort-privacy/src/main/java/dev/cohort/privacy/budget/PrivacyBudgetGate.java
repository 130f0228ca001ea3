package dev.cohort.privacy.budget;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.privacy.accounting.EpsilonBound;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.PrivacyBudget;
import dev.cohort.privacy.accounting.PrivacyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Enforces a per-holder privacy budget on a run: before each round it asks, for every group of
 * data holders that spend alike, what epsilon the round would bring them to, and refuses the round
 * (which ends the run) if any group would exceed the budget; after each completed round it
 * charges every group, tells the {@link Listener} (the ledger, the run store) and reports the
 * largest epsilon spent. Each group starts from the most that any of its holders had already
 * spent, so a budget is a lifetime budget, not a per-run one. Not thread-safe; the coordinator
 * calls it from one thread.
 */
public final class PrivacyBudgetGate implements RoundGate {
  /**
   * Holders whose records are released alike each round.
   *
   * @param holders the holders' names, as kept in the ledger
   * @param perRound what one round releases about each of them
   * @param spent what the most-spent of them had spent before this run
   */
  public record Group(List<String> holders, PrivacyEvent perRound, PrivacyAccountant spent) {
    public Group {
      holders = List.copyOf(holders);
      Objects.requireNonNull(perRound, "perRound");
      Objects.requireNonNull(spent, "spent");
    }
  }

  /**
   * Told about every charge after it is made, with the round it is for, so that a durable record
   * (the {@link PrivacyLedger}) can make charging the same round twice a no-op: a run resumed after
   * a crash re-runs the round that was charged but never committed.
   */
  @FunctionalInterface
  public interface Listener {
    void charged(int round, List<String> holders, PrivacyEvent event, PrivacyAccountant total);
  }

  /**
   * What the gate has recorded: each group's accountant, in group order, including what its holders
   * had spent before the run. Checkpointed with every round; on resume it replaces what the ledger
   * says, since the ledger may hold a charge for a round that was never committed.
   *
   * @param accountants one per group
   */
  public record State(List<PrivacyAccountant> accountants) implements RoundGate.State {
    public State {
      accountants = List.copyOf(accountants);
    }
  }

  private final PrivacyBudget budget;
  private final List<Group> groups;
  private final List<PrivacyAccountant> accountants;
  private final Listener listener;

  public PrivacyBudgetGate(PrivacyBudget budget, List<Group> groups, Listener listener) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.groups = List.copyOf(groups);
    if (this.groups.isEmpty()) {
      throw new IllegalArgumentException("a budget gate needs at least one group of holders");
    }
    this.accountants = new ArrayList<>();
    for (Group g : this.groups) {
      accountants.add(g.spent());
    }
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** A gate for holders that all spend {@code perRound} each round. */
  public PrivacyBudgetGate(PrivacyBudget budget, PrivacyEvent perRound, PrivacyAccountant spent, Listener listener) {
    this(budget, List.of(new Group(List.of(), perRound, spent)), listener);
  }

  @Override
  public Optional<String> refuse(int round) {
    for (int i = 0; i < groups.size(); i++) {
      PrivacyAccountant a = accountants.get(i);
      PrivacyEvent next = groups.get(i).perRound();
      if (a.wouldExceed(budget, next)) {
        EpsilonBound after = a.epsilonAfter(next, budget.delta());
        double now = a.events().isEmpty() ? 0.0 : a.epsilon(budget.delta()).epsilon();
        List<String> holders = groups.get(i).holders();
        String who = holders.isEmpty() ? "" : " for " + holders.get(0)
            + (holders.size() > 1 ? " and " + (holders.size() - 1) + " other holders" : "");
        return Optional.of(String.format(Locale.ROOT,
            "the privacy budget (epsilon %s, delta %s) would be exceeded%s: round %d would raise epsilon from "
                + "%.4f to %.4f", budget.epsilon(), budget.delta(), who, round, now, after.epsilon()));
      }
    }
    return Optional.empty();
  }

  @Override
  public MetricRecord completed(int round, MetricRecord measurements) {
    double worst = 0;
    for (int i = 0; i < groups.size(); i++) {
      Group g = groups.get(i);
      PrivacyAccountant a = accountants.get(i).spend(g.perRound());
      accountants.set(i, a);
      listener.charged(round, g.holders(), g.perRound(), a);
      worst = Math.max(worst, a.epsilon(budget.delta()).epsilon());
    }
    return MetricRecord.of("privacy.epsilon", worst, "privacy.delta", budget.delta());
  }

  @Override
  public State state() {
    return new State(accountants);
  }

  /**
   * Continues from {@code state}, which replaces the accountants the gate was built with.
   *
   * @throws IllegalArgumentException if it is not a {@link State} with one accountant per group
   */
  @Override
  public void restore(RoundGate.State state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("a privacy budget gate restores a PrivacyBudgetGate.State, not " + state);
    }
    if (s.accountants().size() != groups.size()) {
      throw new IllegalArgumentException("the state has " + s.accountants().size() + " accountants but the gate has "
          + groups.size() + " groups of holders: was the run configured differently?");
    }
    for (int i = 0; i < groups.size(); i++) {
      accountants.set(i, s.accountants().get(i));
    }
  }

  /** The accountant of the first group: everything it has spent, including before this run. */
  public PrivacyAccountant accountant() {
    return accountants.get(0);
  }
}
