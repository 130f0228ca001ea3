package dev.cohort.train;

/**
 * Time spent in one layer while a model was profiling ({@link Model#setProfiling}).
 *
 * @param layer the layer's name, e.g. "conv1"
 */
public record LayerTiming(String layer, long forwardNanos, long backwardNanos) {}
