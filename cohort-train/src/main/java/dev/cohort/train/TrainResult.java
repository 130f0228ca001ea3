package dev.cohort.train;

/**
 * What one {@link LocalTrainer#fit} did.
 *
 * @param examples the number of distinct training examples (the usual FedAvg weight)
 * @param examplesProcessed examples seen in total, {@code epochs * examples}
 * @param meanLoss the mean training loss over all examples processed, each measured on the
 *     parameters before its batch's step (NaN when there were no examples)
 * @param lastEpochLoss the same mean over the last epoch only
 * @param steps optimiser steps taken
 * @param epochs epochs run
 */
public record TrainResult(int examples, long examplesProcessed, double meanLoss,
    double lastEpochLoss, long steps, int epochs) {}
