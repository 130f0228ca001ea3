package dev.cohort.client;

import dev.cohort.tensor.Shape;
import dev.cohort.train.Model;
import dev.cohort.train.ModelSpec;
import java.util.Objects;

/**
 * One model per thread, built on first use from a spec: clients handled on the same thread reuse
 * its buffers, so memory grows with the threads training at once, not with the number of
 * clients. Every user loads the parameters it needs before use. Thread-safe.
 */
public final class ModelPool {
  private final ModelSpec spec;
  private final Shape inputShape;
  private final int outputs;
  private final ThreadLocal<Model> models;

  public ModelPool(ModelSpec spec, Shape inputShape, int outputs) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    this.outputs = outputs;
    this.models = ThreadLocal.withInitial(() -> spec.build(inputShape, outputs, 0L));
  }

  /** This thread's model (its parameters are whatever the last user left). */
  public Model local() {
    return models.get();
  }

  /** A new model initialised from {@code seed} (the initial global model). */
  public Model fresh(long seed) {
    return spec.build(inputShape, outputs, seed);
  }

  public ModelSpec spec() {
    return spec;
  }
}
