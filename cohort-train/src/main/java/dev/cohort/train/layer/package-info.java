/**
 * The layers of the training engine and their contract with {@code dev.cohort.train.Model}.
 *
 * <p>{@link dev.cohort.train.layer.Layer} is the contract; {@link dev.cohort.train.layer.Dense},
 * {@link dev.cohort.train.layer.Conv2D}, {@link dev.cohort.train.layer.MaxPool2D}, {@link
 * dev.cohort.train.layer.ReLU}, {@link dev.cohort.train.layer.Tanh}, {@link
 * dev.cohort.train.layer.Flatten} and {@link dev.cohort.train.layer.Dropout} implement it. Layers
 * read their parameters from, and write their gradients into, the model's single flat arrays at
 * their own offsets; a {@link dev.cohort.train.layer.GradientSink} says whether a backward pass
 * produces the batch gradient, per-example gradients or per-example squared norms. {@link
 * dev.cohort.train.layer.Parallelism} lets large layer operations split over threads. Users build
 * models through {@code Model.builder} or {@code ModelSpec} rather than wiring layers by hand.
 */
package dev.cohort.train.layer;
