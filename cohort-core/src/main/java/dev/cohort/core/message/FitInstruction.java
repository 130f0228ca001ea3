package dev.cohort.core.message;

import dev.cohort.core.ConfigRecord;
import dev.cohort.tensor.ParameterSet;
import java.util.Objects;

/**
 * Asks a client to train on its local data starting from {@code global}, with the settings in
 * {@code config}. The parameter set is shared by every client of the round: read-only.
 */
public record FitInstruction(ParameterSet global, ConfigRecord config) implements Payload {
  public FitInstruction {
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(config, "config");
  }
}
