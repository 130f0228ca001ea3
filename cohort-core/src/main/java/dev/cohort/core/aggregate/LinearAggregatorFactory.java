package dev.cohort.core.aggregate;

/**
 * An aggregation that is a (weighted) sum followed by a fixed post-processing, so updates can be
 * folded in as they arrive with O(model size) memory, summed under secure aggregation, and given
 * a bounded sensitivity for differential privacy.
 */
public non-sealed interface LinearAggregatorFactory extends AggregatorFactory {}
