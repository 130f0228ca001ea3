package dev.cohort.privacy.accounting;

import java.util.Objects;

/**
 * Spending the next event would take the composed guarantee past the budget. Thrown before the
 * release, so nothing over budget has been published; the accountant that refused is unchanged.
 */
public final class PrivacyBudgetExhaustedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final PrivacyBudget budget;
  private final transient EpsilonBound reached;
  private final transient PrivacyEvent event;

  /** The next {@code event} would bring epsilon at the budget's delta to {@code reached}. */
  public PrivacyBudgetExhaustedException(PrivacyBudget budget, EpsilonBound reached, PrivacyEvent event) {
    super("privacy budget " + Objects.requireNonNull(budget, "budget") + " would be exceeded: "
        + Objects.requireNonNull(event, "event") + " would bring epsilon to "
        + Objects.requireNonNull(reached, "reached").epsilon() + " at delta=" + budget.delta()
        + " (" + reached.conversion().label() + " conversion, order " + reached.order() + ")");
    this.budget = budget;
    this.reached = reached;
    this.event = event;
  }

  /** The budget that would be exceeded. */
  public PrivacyBudget budget() {
    return budget;
  }

  /** The epsilon (at the budget's delta) that the next event would reach. */
  public double epsilonReached() {
    return reached.epsilon();
  }

  /** The full bound the next event would reach, with order and conversion. */
  public EpsilonBound reached() {
    return reached;
  }

  /** The event that was refused. */
  public PrivacyEvent event() {
    return event;
  }
}
