package dev.cohort.train.layer;

import dev.cohort.tensor.Shape;
import java.util.Objects;

/**
 * Reshapes each example to a vector in row-major order (PyTorch's {@code flatten(1)}, so a
 * following dense layer's weights match PyTorch's). The data does not move: it runs in place.
 */
public final class Flatten implements Layer {
  private final String name;
  private final Shape inputShape;
  private final Shape outputShape;

  public Flatten(String name, Shape inputShape) {
    this.name = Objects.requireNonNull(name, "name");
    this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    this.outputShape = Shape.of(inputShape.size());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public boolean canRunInPlace() {
    return true;
  }

  @Override
  public void forward(float[] in, float[] out, int batch, boolean training) {
    if (in != out) {
      System.arraycopy(in, 0, out, 0, batch * inputShape.size());
    }
  }

  @Override
  public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int batch,
      GradientSink sink) {
    if (gradIn != null && gradIn != gradOut) {
      System.arraycopy(gradOut, 0, gradIn, 0, batch * inputShape.size());
    }
  }

  @Override
  public String toString() {
    return name + ": flatten " + inputShape + " -> " + outputShape;
  }
}
