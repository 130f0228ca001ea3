package dev.cohort.privacy.accounting;

/**
 * {@code steps} releases of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and Zhang
 * 2019): each release includes every record independently with probability {@code samplingRate}
 * and adds N(0, (noiseMultiplier * sensitivity)^2) noise to the clipped sum. Sampling rate 1 is the
 * plain Gaussian mechanism. Neighbouring datasets differ by adding or removing one record.
 *
 * @param noiseMultiplier noise standard deviation over L2 sensitivity; &gt;= 0, +infinity allowed
 *     (a release with no privacy cost), 0 meaning no privacy at all when samplingRate &gt; 0
 * @param samplingRate the Poisson inclusion probability q, in [0, 1]
 * @param steps how many releases, &gt;= 1
 */
public record PoissonSampledGaussian(double noiseMultiplier, double samplingRate, long steps)
    implements PrivacyEvent {

  public PoissonSampledGaussian {
    SampledGaussianRdp.checkArguments(noiseMultiplier, samplingRate);
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1 but was " + steps);
    }
  }

  @Override
  public RdpCurve rdp(RenyiOrders orders) {
    return RdpCurve.of(orders, SampledGaussianRdp.rdp(noiseMultiplier, samplingRate, orders))
        .times(steps);
  }

  /** The same mechanism run {@code steps} times. */
  public PoissonSampledGaussian withSteps(long steps) {
    return new PoissonSampledGaussian(noiseMultiplier, samplingRate, steps);
  }

  /** Whether {@code other} releases with the same noise multiplier and sampling rate. */
  public boolean sameMechanismAs(PoissonSampledGaussian other) {
    return Double.compare(noiseMultiplier, other.noiseMultiplier) == 0
        && Double.compare(samplingRate, other.samplingRate) == 0;
  }
}
