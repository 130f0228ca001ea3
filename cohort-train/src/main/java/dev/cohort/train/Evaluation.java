package dev.cohort.train;

/**
 * A model's loss and accuracy on a dataset.
 *
 * @param examples the number of examples evaluated
 * @param meanLoss the mean per-example loss (NaN when there were no examples)
 * @param accuracy the fraction predicted correctly, or NaN for regression (and for no examples)
 */
public record Evaluation(int examples, double meanLoss, double accuracy) {}
