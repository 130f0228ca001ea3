package dev.cohort.train.optim;

/** Argument checks shared by the optimisers. */
final class Checks {
  private Checks() {}

  static void sizes(int size, float[] params, float[] grads) {
    if (params.length != size) {
      throw new IllegalArgumentException(
          "params has " + params.length + " floats but the optimiser was created for " + size);
    }
    if (grads.length != size) {
      throw new IllegalArgumentException(
          "grads has " + grads.length + " floats but the optimiser was created for " + size);
    }
  }
}
