package dev.cohort.core.round;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.transport.ClientFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link FitProtocol} did in one round.
 *
 * @param contributors the clients whose updates are in what was added to the sink
 * @param failures the clients that failed or were rejected, with reasons
 * @param trainLoss the contributors' mean training loss weighted as the strategy weighs them, or NaN
 * @param measurements what the protocol measured (e.g. survivors and dropouts of secure aggregation)
 * @param abort why the round must be abandoned even though contributions may have been added
 *     (e.g. too few survivors to unmask the sum); empty when the round may complete
 */
public record FitReport(int contributors, List<ClientFailure> failures, double trainLoss,
    MetricRecord measurements, Optional<String> abort) {
  public FitReport {
    if (contributors < 0) {
      throw new IllegalArgumentException("contributors must be >= 0 but was " + contributors);
    }
    failures = List.copyOf(failures);
    Objects.requireNonNull(measurements, "measurements");
    Objects.requireNonNull(abort, "abort");
  }
}
