package dev.cohort.privacy.sgd;

import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.accounting.NoiseCalibration;
import dev.cohort.privacy.accounting.RenyiOrders;
import java.util.Objects;

/**
 * A budget that each data holder meets on its own records: given its number of records, a holder
 * calibrates the smallest noise multiplier at which {@code rounds} rounds of DP-SGD under a
 * {@link DpSgdConfig} stay within ({@code epsilon}, {@code delta}). Holders with more records then
 * add less noise than the smallest holder would need, for the same guarantee.
 */
public record DpSgdTarget(double epsilon, double delta, int rounds, Conversion conversion) {
  public DpSgdTarget {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0 but was " + epsilon);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1) but was " + delta);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1 but was " + rounds);
    }
    Objects.requireNonNull(conversion, "conversion");
  }

  /** The noise multiplier for a holder of {@code records} training with {@code config} each round. */
  public double noiseMultiplier(DpSgdConfig config, int records) {
    return NoiseCalibration.noiseMultiplier(epsilon, delta, config.samplingRate(records),
        config.steps(records) * (long) rounds, conversion, RenyiOrders.DEFAULT);
  }
}
