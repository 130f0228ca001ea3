/**
 * Per-example losses fused with their gradients: {@link dev.cohort.train.loss.Loss} and its
 * factories {@code softmaxCrossEntropy()}, {@code binaryLogistic()} and {@code meanSquaredError()}.
 */
package dev.cohort.train.loss;
