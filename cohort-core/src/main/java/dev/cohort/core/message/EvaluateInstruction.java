package dev.cohort.core.message;

import dev.cohort.core.ConfigRecord;
import dev.cohort.tensor.ParameterSet;
import java.util.Objects;

/** Asks a client to evaluate {@code global} on its local data. */
public record EvaluateInstruction(ParameterSet global, ConfigRecord config) implements Payload {
  public EvaluateInstruction {
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(config, "config");
  }
}
