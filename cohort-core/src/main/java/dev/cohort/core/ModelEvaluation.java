package dev.cohort.core;

/**
 * A model's quality on some data.
 *
 * @param loss the mean loss per example
 * @param accuracy the share of examples classified correctly, NaN for regression
 * @param examples how many examples were evaluated
 */
public record ModelEvaluation(double loss, double accuracy, long examples) {
  public ModelEvaluation {
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be >= 0 but was " + examples);
    }
  }
}
