package dev.cohort.core.aggregate;

/**
 * An aggregation that needs all individual updates in the clear (coordinate-wise median, trimmed
 * mean, Krum). It costs O(clients x model size) memory and cannot run under secure aggregation.
 */
public non-sealed interface RobustAggregatorFactory extends AggregatorFactory {}
