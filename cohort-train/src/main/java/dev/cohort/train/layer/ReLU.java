package dev.cohort.train.layer;

import dev.cohort.tensor.Shape;
import dev.cohort.tensor.kernel.VectorOps;
import java.util.Objects;

/**
 * {@code max(x, 0)} element-wise; the gradient is passed where the output is positive. Runs in
 * place. No parameters. Stateless apart from its shape, but follows the {@link Layer} contract.
 */
public final class ReLU implements Layer {
  private final String name;
  private final Shape shape;

  public ReLU(String name, Shape shape) {
    this.name = Objects.requireNonNull(name, "name");
    this.shape = Objects.requireNonNull(shape, "shape");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public boolean canRunInPlace() {
    return true;
  }

  @Override
  public boolean backwardReadsOutput() {
    return true;
  }

  @Override
  public void forward(float[] in, float[] out, int batch, boolean training) {
    int n = batch * shape.size();
    if (in != out) {
      System.arraycopy(in, 0, out, 0, n);
    }
    VectorOps.reluInPlace(out, 0, n);
  }

  @Override
  public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int batch,
      GradientSink sink) {
    if (gradIn == null) {
      return;
    }
    int n = batch * shape.size();
    if (gradIn != gradOut) {
      System.arraycopy(gradOut, 0, gradIn, 0, n);
    }
    VectorOps.reluBackward(gradIn, 0, out, 0, n);
  }

  @Override
  public String toString() {
    return name + ": relu " + shape;
  }
}
