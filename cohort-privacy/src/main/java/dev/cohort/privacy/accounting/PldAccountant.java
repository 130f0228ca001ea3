package dev.cohort.privacy.accounting;

import java.util.List;
import java.util.Objects;

/**
 * A privacy loss distribution (PLD) accountant for Poisson-subsampled Gaussian events: a different
 * method from the RDP accountant, used to cross-check it. It is tight up to its discretization,
 * where RDP's conversions are not, so its epsilon is normally well below {@link
 * PrivacyAccountant}'s for the same events.
 *
 * <p>The privacy loss of one release is discretised on a grid of spacing {@code discretization}
 * (Koskela, Jälkö and Honkela, "Computing Tight Differential Privacy Guarantees Using FFT", AISTATS
 * 2020; Sommer, Meiser and Mohammadi, "Privacy Loss Classes", PoPETs 2019), {@code steps} releases
 * are composed by raising its discrete Fourier transform to the power {@code steps} within a
 * window that Chernoff bounds show holds all but 1e-15 of the mass, and different events are
 * composed by FFT convolution. Add-or-remove adjacency has two directions (the record removed, the
 * record added), each with its own distribution; delta is the larger of the two.
 *
 * <p>{@link #pessimistic} gives an upper bound on delta (and epsilon): each interval's probability
 * is split between its end points keeping both distributions' probabilities ("connect the dots",
 * Doroshenko et al., PoPETs 2022), and truncated tail mass is charged to delta. {@link #optimistic}
 * rounds losses down and gives a lower bound, up to the 1e-15 truncated mass; the two bracket the
 * true value. The pessimistic error is second order in the discretization, while rounding down
 * costs about steps * discretization / 2 in epsilon, so an optimistic bound for a long run needs a
 * finer grid. Immutable and thread-safe.
 */
public final class PldAccountant {
  /** The default grid spacing of privacy loss values, as in dp_accounting. */
  public static final double DEFAULT_DISCRETIZATION = 1e-4;

  private static final double TAIL = 1e-15;

  private final LossPmf remove;
  private final LossPmf add;

  private PldAccountant(LossPmf remove, LossPmf add) {
    this.remove = remove;
    this.add = add;
  }

  /** An upper bound for {@code events} at the default discretization. */
  public static PldAccountant pessimistic(List<? extends PrivacyEvent> events) {
    return pessimistic(events, DEFAULT_DISCRETIZATION);
  }

  /**
   * An upper bound for {@code events}, with privacy losses on a grid of spacing {@code
   * discretization}.
   *
   * @throws IllegalArgumentException if the discretization is not in (0, 1], or the grid an event
   *     needs is too long (more than 2^25 points)
   */
  public static PldAccountant pessimistic(List<? extends PrivacyEvent> events, double discretization) {
    return build(events, discretization, true);
  }

  /** A lower bound for {@code events}, with privacy losses on a grid of spacing {@code discretization}. */
  public static PldAccountant optimistic(List<? extends PrivacyEvent> events, double discretization) {
    return build(events, discretization, false);
  }

  private static PldAccountant build(
      List<? extends PrivacyEvent> events, double h, boolean pessimistic) {
    Objects.requireNonNull(events, "events");
    if (!(h > 0 && h <= 1)) {
      throw new IllegalArgumentException("discretization must be in (0, 1] but was " + h);
    }
    LossPmf remove = null;
    LossPmf add = null;
    for (PrivacyEvent event : events) {
      switch (Objects.requireNonNull(event, "event")) {
        case PoissonSampledGaussian g -> {
          LossPmf r = compose(g, true, h, pessimistic);
          // Without subsampling the Gaussian pair is symmetric: both directions coincide.
          LossPmf a = g.samplingRate() == 1 && g.noiseMultiplier() > 0 ? r
              : compose(g, false, h, pessimistic);
          remove = remove == null ? r : remove.convolve(r, TAIL, pessimistic);
          add = add == null ? a : add.convolve(a, TAIL, pessimistic);
        }
      }
    }
    return remove == null
        ? new PldAccountant(LossPmf.identity(h), LossPmf.identity(h))
        : new PldAccountant(remove, add);
  }

  private static LossPmf compose(PoissonSampledGaussian g, boolean removeDirection, double h,
      boolean pessimistic) {
    double sigma = g.noiseMultiplier();
    double q = g.samplingRate();
    LossPmf single;
    if (q == 0 || sigma == Double.POSITIVE_INFINITY) {
      return LossPmf.identity(h);
    } else if (sigma == 0) {
      // No noise: the sampled record's contribution is seen exactly.
      if (removeDirection) {
        single = q == 1 ? LossPmf.atom(h, 0.0, 0.0, pessimistic)
            : LossPmf.atom(h, Math.log1p(-q), 1 - q, pessimistic);
      } else {
        single = q == 1 ? LossPmf.atom(h, 0.0, 0.0, pessimistic)
            : LossPmf.atom(h, -Math.log1p(-q), 1.0, pessimistic);
      }
    } else {
      single = LossPmf.sampledGaussian(sigma, q, removeDirection, h, TAIL, pessimistic);
    }
    return single.selfCompose(g.steps(), TAIL, pessimistic);
  }

  /**
   * The smallest epsilon &gt;= 0 with delta(epsilon) &lt;= {@code delta}; +infinity if there is none.
   *
   * @throws IllegalArgumentException unless 0 &lt; delta &lt; 1
   */
  public double epsilon(double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1) but was " + delta);
    }
    return Math.max(remove.epsilon(delta), add.epsilon(delta));
  }

  /**
   * The delta at {@code epsilon}: the larger hockey-stick divergence of the two directions.
   *
   * @throws IllegalArgumentException unless epsilon is finite and &gt;= 0
   */
  public double delta(double epsilon) {
    if (!(epsilon >= 0 && epsilon < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0 but was " + epsilon);
    }
    return Math.max(remove.delta(epsilon), add.delta(epsilon));
  }
}
