package dev.cohort.core.client;

import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;

/**
 * A data holder's side of federated training: trains or evaluates the global model on local data.
 * The same implementation runs in simulation and in deployment; it never sees the transport.
 * Implementations may be called from several threads for different clients and must not keep
 * per-request state in fields.
 */
public interface ClientApp {
  /** Trains from {@code instruction.global()} and returns the update (local minus global). */
  FitResult fit(FitInstruction instruction, ClientContext context);

  /** Evaluates {@code instruction.global()} on local data. */
  EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context);
}
