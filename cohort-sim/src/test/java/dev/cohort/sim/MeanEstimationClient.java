package dev.cohort.sim;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.client.ClientApp;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.tensor.ParameterSet;

/**
 * A client whose "model" is an estimate of the mean of its local vectors: fit returns the local
 * mean minus the global estimate. One FedAvg round with server rate 1 therefore yields the
 * example-weighted mean of all clients' data, which tests can compute independently.
 */
final class MeanEstimationClient implements ClientApp {
  private final float[][] rows;

  MeanEstimationClient(float[][] rows) {
    this.rows = rows;
  }

  @Override
  public FitResult fit(FitInstruction instruction, ClientContext context) {
    ParameterSet global = instruction.global();
    ParameterSet update = ParameterSet.zeros(global.layout());
    float[] u = update.data();
    for (float[] row : rows) {
      for (int j = 0; j < u.length; j++) {
        u[j] += row[j] / rows.length;
      }
    }
    for (int j = 0; j < u.length; j++) {
      u[j] -= global.data()[j];
    }
    return new FitResult(update, rows.length, MetricRecord.of("loss", 0.0));
  }

  @Override
  public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
    return new EvaluateResult(0, rows.length, MetricRecord.empty());
  }
}
