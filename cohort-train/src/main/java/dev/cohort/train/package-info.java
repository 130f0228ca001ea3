/**
 * Local training: models, gradients (including per-example gradients for DP-SGD), and the trainer.
 * Nothing here knows about federation.
 *
 * <p>Entry points:
 *
 * <ul>
 *   <li>{@link dev.cohort.train.ModelSpec}: built-in models ("logistic", "linear", "mlp", "cnn",
 *       "simple-cnn"), {@code build(inputShape, outputs, seed)};
 *   <li>{@link dev.cohort.train.Model}: a stack of layers over one flat parameter array, with
 *       {@code forward}, {@code lossAndGradient} and {@code backward(GradientMode)}; custom stacks
 *       come from {@link dev.cohort.train.Model#builder};
 *   <li>{@link dev.cohort.train.LocalTrainer}: {@code fit(model, data, TrainConfig, seed)} and
 *       {@code evaluate(model, data, batchSize)};
 *   <li>{@link dev.cohort.train.GradientMode} and {@link dev.cohort.train.PerExampleGradients}:
 *       batch, weighted, per-example and per-example-norm gradients.
 * </ul>
 *
 * <p>Models and trainers are not thread-safe: use one of each per thread.
 */
package dev.cohort.train;
