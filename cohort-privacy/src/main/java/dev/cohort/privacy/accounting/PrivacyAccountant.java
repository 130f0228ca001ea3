package dev.cohort.privacy.accounting;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An RDP accountant: the privacy events spent so far, composed (Mironov 2017, Proposition 1) and
 * converted to (epsilon, delta) on demand. Built for run state: it is an immutable value whose
 * serialised form is its {@link #events()}, {@link #orders()} and {@link #conversion()}, and
 * {@link #restore} rebuilds an equal accountant from them after a restart.
 *
 * <pre>{@code
 * PrivacyBudget budget = new PrivacyBudget(3.0, 1e-5);
 * PrivacyAccountant accountant = PrivacyAccountant.create();
 * PrivacyEvent round = PrivacyEvent.poissonSampledGaussian(1.1, 256 / 60000.0, 234);
 * accountant = accountant.spendWithin(budget, round); // throws before the budget is exceeded
 * double spent = accountant.epsilon(budget.delta()).epsilon();
 * }</pre>
 *
 * <p>Consecutive events with the same noise multiplier and sampling rate are merged into one with
 * their steps added, so a long run keeps a short history. The composed RDP curve is cached, so
 * {@link #spend} costs one event's RDP, not the whole history's. Immutable and thread-safe.
 */
public final class PrivacyAccountant {
  private final List<PrivacyEvent> events;
  private final RenyiOrders orders;
  private final Conversion conversion;
  private final RdpCurve rdp;

  private PrivacyAccountant(
      List<PrivacyEvent> events, RenyiOrders orders, Conversion conversion, RdpCurve rdp) {
    this.events = events;
    this.orders = orders;
    this.conversion = conversion;
    this.rdp = rdp;
  }

  /** An accountant with nothing spent, {@link RenyiOrders#DEFAULT} and the improved conversion. */
  public static PrivacyAccountant create() {
    return create(RenyiOrders.DEFAULT, Conversion.IMPROVED);
  }

  /** An accountant with nothing spent that tracks {@code orders} and converts with {@code conversion}. */
  public static PrivacyAccountant create(RenyiOrders orders, Conversion conversion) {
    Objects.requireNonNull(orders, "orders");
    Objects.requireNonNull(conversion, "conversion");
    return new PrivacyAccountant(List.of(), orders, conversion, RdpCurve.zero(orders));
  }

  /**
   * The accountant that has spent {@code events}, in order: the inverse of reading {@link
   * #events()}, {@link #orders()} and {@link #conversion()}.
   */
  public static PrivacyAccountant restore(
      List<? extends PrivacyEvent> events, RenyiOrders orders, Conversion conversion) {
    PrivacyAccountant accountant = create(orders, conversion);
    for (PrivacyEvent e : Objects.requireNonNull(events, "events")) {
      accountant = accountant.spend(e);
    }
    return accountant;
  }

  /** The events spent so far, oldest first, with consecutive identical mechanisms merged. */
  public List<PrivacyEvent> events() {
    return events;
  }

  /** The Rényi orders tracked. */
  public RenyiOrders orders() {
    return orders;
  }

  /** The conversion used by {@link #epsilon(double)}, {@link #delta(double)} and budget checks. */
  public Conversion conversion() {
    return conversion;
  }

  /** The composed RDP of everything spent. */
  public RdpCurve rdp() {
    return rdp;
  }

  /** This accountant with the same history, converting with {@code conversion}. */
  public PrivacyAccountant withConversion(Conversion conversion) {
    return new PrivacyAccountant(events, orders, Objects.requireNonNull(conversion, "conversion"), rdp);
  }

  /** A new accountant that has also spent {@code event}; this one is unchanged. */
  public PrivacyAccountant spend(PrivacyEvent event) {
    Objects.requireNonNull(event, "event");
    List<PrivacyEvent> next = new ArrayList<>(events);
    PrivacyEvent last = next.isEmpty() ? null : next.getLast();
    if (last instanceof PoissonSampledGaussian previous
        && event instanceof PoissonSampledGaussian current
        && previous.sameMechanismAs(current)) {
      next.set(next.size() - 1, previous.withSteps(Math.addExact(previous.steps(), current.steps())));
    } else {
      next.add(event);
    }
    return new PrivacyAccountant(List.copyOf(next), orders, conversion, rdp.plus(event.rdp(orders)));
  }

  /**
   * A new accountant that has also spent {@code event}, provided the result stays within
   * {@code budget} (epsilon at the budget's delta, with this accountant's conversion).
   *
   * @throws PrivacyBudgetExhaustedException if it would not; nothing is spent
   */
  public PrivacyAccountant spendWithin(PrivacyBudget budget, PrivacyEvent event)
      throws PrivacyBudgetExhaustedException {
    Objects.requireNonNull(budget, "budget");
    PrivacyAccountant next = spend(event);
    EpsilonBound reached = next.epsilon(budget.delta());
    if (reached.epsilon() > budget.epsilon()) {
      throw new PrivacyBudgetExhaustedException(budget, reached, event);
    }
    return next;
  }

  /** Whether spending {@code next} would take epsilon at the budget's delta past the budget. */
  public boolean wouldExceed(PrivacyBudget budget, PrivacyEvent next) {
    Objects.requireNonNull(budget, "budget");
    return epsilonAfter(next, budget.delta()).epsilon() > budget.epsilon();
  }

  /** The epsilon at {@code delta} after also spending {@code next}, without spending it. */
  public EpsilonBound epsilonAfter(PrivacyEvent next, double delta) {
    Objects.requireNonNull(next, "next");
    return rdp.plus(next.rdp(orders)).epsilon(delta, conversion);
  }

  /** The epsilon spent so far at {@code delta}, with this accountant's conversion. */
  public EpsilonBound epsilon(double delta) {
    return rdp.epsilon(delta, conversion);
  }

  /** The epsilon spent so far at {@code delta}, with {@code conversion}. */
  public EpsilonBound epsilon(double delta, Conversion conversion) {
    return rdp.epsilon(delta, conversion);
  }

  /** The delta spent so far at {@code epsilon}, with this accountant's conversion. */
  public DeltaBound delta(double epsilon) {
    return rdp.delta(epsilon, conversion);
  }

  /** The delta spent so far at {@code epsilon}, with {@code conversion}. */
  public DeltaBound delta(double epsilon, Conversion conversion) {
    return rdp.delta(epsilon, conversion);
  }

  /** Equal when the histories, orders and conversions are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PrivacyAccountant other && events.equals(other.events)
        && orders.equals(other.orders) && conversion == other.conversion;
  }

  @Override
  public int hashCode() {
    return Objects.hash(events, orders, conversion);
  }

  @Override
  public String toString() {
    return "PrivacyAccountant[events=" + events + ", orders=" + orders + ", conversion="
        + conversion.label() + "]";
  }
}
