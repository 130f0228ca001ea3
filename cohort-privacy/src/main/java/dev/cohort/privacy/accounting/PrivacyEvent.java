package dev.cohort.privacy.accounting;

/**
 * A differentially private release, or a run of identical releases, that an accountant composes.
 * Events are immutable values that serialise as their record components, so an accountant's
 * history can be stored with a run and restored after a restart.
 *
 * <p>The only kind today is {@link PoissonSampledGaussian} (DP-SGD steps and DP-FedAvg rounds,
 * including sampling rate 1 for the plain Gaussian mechanism). The interface is sealed so that
 * every accountant handles every kind.
 */
public sealed interface PrivacyEvent permits PoissonSampledGaussian {

  /** This event's RDP guarantee, all of its steps composed, at each of {@code orders}. */
  RdpCurve rdp(RenyiOrders orders);

  /**
   * {@code steps} releases of the Gaussian mechanism with noise multiplier {@code noiseMultiplier},
   * each on a Poisson sample that includes every record with probability {@code samplingRate}.
   */
  static PoissonSampledGaussian poissonSampledGaussian(
      double noiseMultiplier, double samplingRate, long steps) {
    return new PoissonSampledGaussian(noiseMultiplier, samplingRate, steps);
  }
}
