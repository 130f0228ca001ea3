package dev.cohort.train.optim;

/**
 * A stateful first-order optimiser over a model's flat parameter array.
 *
 * <p>Call order: {@link OptimizerSpec#create} gives an optimiser with zero state (no momentum, no
 * moments, step count 0); {@link #step} is called once per batch with the gradient of the mean
 * loss, updating the parameters in place in one pass over both arrays; {@link #reset} returns to
 * the initial state, e.g. before training on a new round's global model. Not thread-safe.
 */
public sealed interface Optimizer permits SgdOptimizer, AdamOptimizer {

  /** The hyper-parameters this optimiser was created with. */
  OptimizerSpec spec();

  /** The number of parameters it updates. */
  int size();

  /** The number of steps since creation or the last {@link #reset}. */
  long steps();

  /**
   * Updates {@code params} in place from {@code grads} (which are read, not modified); both arrays
   * must have {@link #size()} elements.
   *
   * @throws IllegalArgumentException if an array's length is not {@link #size()}
   */
  void step(float[] params, float[] grads);

  /** Zeroes the state: momentum buffers, Adam moments and the step count. */
  void reset();
}
