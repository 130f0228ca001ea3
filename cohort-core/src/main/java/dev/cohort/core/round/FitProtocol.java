package dev.cohort.core.round;

import dev.cohort.core.transport.Transport;

/**
 * How a round's fit instructions become contributions to the aggregation. The plain protocol
 * sends each instruction and folds each valid update in as it arrives; secure aggregation runs
 * several stages and folds in only the unmasked sum. The coordinator owns the round loop and
 * never needs to know which protocol runs, so privacy and security layers compose around it.
 *
 * <p>Implementations are used from one thread per round; any per-round state lives in the call.
 */
public interface FitProtocol {
  /** A short description for logs and provenance, e.g. "direct" or "secagg+(k=30, t=0.5)". */
  String describe();

  /**
   * Whether the protocol delivers only sums, so the strategy's aggregation must be a
   * {@link dev.cohort.core.aggregate.LinearAggregatorFactory} (secure aggregation: a median of
   * one masked sum means nothing). The coordinator refuses other pairings before the run starts.
   */
  default boolean requiresLinearAggregation() {
    return false;
  }

  /**
   * Runs the fit stage(s) of one round over {@code transport}, adding what the aggregation may see
   * to {@code sink}, and reports who contributed and who failed.
   *
   * @throws InterruptedException if the thread is interrupted; nothing partial must then be used
   */
  FitReport collect(FitRequest request, Transport transport, FitSink sink) throws InterruptedException;
}
