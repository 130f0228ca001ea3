package dev.cohort.server;

import dev.cohort.core.ModelEvaluation;
import dev.cohort.tensor.ParameterSet;

/** Evaluates the global model on data the server holds (a held-out test set in simulations). */
@FunctionalInterface
public interface CentralEvaluator {
  ModelEvaluation evaluate(ParameterSet global);
}
