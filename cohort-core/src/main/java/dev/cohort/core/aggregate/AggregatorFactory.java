package dev.cohort.core.aggregate;

import dev.cohort.tensor.ParameterLayout;

/**
 * Makes the {@link AggregationProcess} that folds a round's client updates into one update.
 * Factories are stateless and reusable; the state that carries across rounds is explicit in the
 * process (after TensorFlow Federated's aggregation factories).
 *
 * <p>The two kinds are distinct types on purpose: a {@link LinearAggregatorFactory} decomposes
 * into sums, so it can run under secure aggregation and has a bounded sensitivity for
 * differential privacy; a {@link RobustAggregatorFactory} needs every individual update in the
 * clear (median, trimmed mean) and so can wrap neither. Layers that need a linear inner
 * aggregation accept only the linear type, which makes "secure median" fail to compile.
 */
public sealed interface AggregatorFactory permits LinearAggregatorFactory, RobustAggregatorFactory {
  /** A process for updates of the given layout. */
  AggregationProcess create(ParameterLayout layout);

  /** A short description for logs and provenance, e.g. "mean(weighted)". */
  String describe();
}
