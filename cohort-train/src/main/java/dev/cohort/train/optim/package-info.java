/**
 * First-order optimisers over a model's flat parameter array. {@link
 * dev.cohort.train.optim.OptimizerSpec} (SGD with momentum, weight decay and Nesterov; Adam) is the
 * configuration value; {@link dev.cohort.train.optim.Optimizer} is the stateful stepper it creates.
 */
package dev.cohort.train.optim;
