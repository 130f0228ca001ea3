package dev.cohort.train.layer;

import dev.cohort.tensor.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * 2x2 max pooling with stride 2 on NCHW batches, like PyTorch's {@code F.max_pool2d(x, 2)}: odd
 * trailing rows and columns are dropped, and on ties the first maximum of a window (row-major)
 * takes the gradient. The index of each window's maximum is kept from the forward pass, so the
 * backward pass routes each output gradient to exactly that input. No parameters. Not
 * thread-safe.
 */
public final class MaxPool2D implements Layer {
  private final String name;
  private final Shape inputShape;
  private final Shape outputShape;
  private final int planes;
  private final int height;
  private final int width;
  private final int outH;
  private final int outW;
  private int[] argmax = new int[0];

  /**
   * A pooling layer over inputs of shape {@code [channels, height, width]}.
   *
   * @throws IllegalArgumentException if the input is not rank 3 or is smaller than 2x2
   */
  public MaxPool2D(String name, Shape inputShape) {
    this.name = Objects.requireNonNull(name, "name");
    this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    if (inputShape.rank() != 3 || inputShape.dim(1) < 2 || inputShape.dim(2) < 2) {
      throw new IllegalArgumentException(name + ": 2x2 max pooling needs input [channels, height,"
          + " width] of at least 2x2 but the input shape is " + inputShape);
    }
    this.planes = inputShape.dim(0);
    this.height = inputShape.dim(1);
    this.width = inputShape.dim(2);
    this.outH = height / 2;
    this.outW = width / 2;
    this.outputShape = Shape.of(planes, outH, outW);
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
  public void reserve(int batch) {
    int n = batch * outputShape.size();
    if (argmax.length < n) {
      argmax = new int[n];
    }
  }

  @Override
  public void forward(float[] in, float[] out, int batch, boolean training) {
    reserve(batch);
    int o = 0;
    for (int p = 0; p < batch * planes; p++) {
      int plane = p * height * width;
      for (int oy = 0; oy < outH; oy++) {
        int r0 = plane + 2 * oy * width;
        int r1 = r0 + width;
        for (int ox = 0; ox < outW; ox++, o++) {
          // Selects rather than branches: the comparisons are unpredictable on real activations.
          int i0 = r0 + 2 * ox;
          int i2 = r1 + 2 * ox;
          float a = in[i0];
          float b = in[i0 + 1];
          float c = in[i2];
          float d = in[i2 + 1];
          float top = Math.max(a, b);
          int topAt = b > a ? i0 + 1 : i0;
          float bottom = Math.max(c, d);
          int bottomAt = d > c ? i2 + 1 : i2;
          out[o] = Math.max(top, bottom);
          argmax[o] = bottom > top ? bottomAt : topAt;
        }
      }
    }
  }

  @Override
  public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int batch,
      GradientSink sink) {
    if (gradIn == null) {
      return;
    }
    Arrays.fill(gradIn, 0, batch * inputShape.size(), 0f);
    int n = batch * outputShape.size();
    for (int o = 0; o < n; o++) {
      gradIn[argmax[o]] += gradOut[o];
    }
  }

  @Override
  public String toString() {
    return name + ": maxpool2d 2x2 " + inputShape + " -> " + outputShape;
  }
}
