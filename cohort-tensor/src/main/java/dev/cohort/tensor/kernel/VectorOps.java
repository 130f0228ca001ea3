package dev.cohort.tensor.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and reduction kernels on {@code float[]} windows, written with the incubating
 * Vector API ({@code FloatVector.SPECIES_PREFERRED}) and a scalar loop for the remainder.
 *
 * <p>These are the inner loops of dense layers (bias, ReLU, bias gradients) and of aggregation
 * ({@link #sumInto}, the FedAvg accumulation). Reductions accumulate in vector lanes and combine
 * the lanes at the end, so their rounding differs slightly from a left-to-right scalar loop.
 *
 * <p>Every method checks that its windows fit their arrays ({@link IllegalArgumentException}
 * naming the parameter otherwise) but not whether windows overlap: overlapping input and output
 * windows give unspecified results unless a method says otherwise. Stateless and thread-safe; the
 * arrays are the caller's to guard.
 */
public final class VectorOps {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Elements summed in float lanes before being added to the double total. */
  private static final int SQUARES_CHUNK = 4096;

  private VectorOps() {}

  /** {@code y[yOff + i] += a * x[xOff + i]} for {@code i < n}. */
  public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    window("x", x, xOff, n);
    window("y", y, yOff, n);
    FloatVector av = FloatVector.broadcast(S, a);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i)
          .fma(av, FloatVector.fromArray(S, y, yOff + i))
          .intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
    }
  }

  /**
   * {@code acc[i] += weight * x[i]} over whole arrays of equal length: the weighted accumulation of
   * client updates in FedAvg. Streams both arrays once, so it runs at memory bandwidth.
   */
  public static void sumInto(float[] acc, float[] x, float weight) {
    if (acc.length != x.length) {
      throw new IllegalArgumentException(
          "x must have acc's length " + acc.length + " but has " + x.length);
    }
    axpy(weight, x, 0, acc, 0, acc.length);
  }

  /** {@code x[off + i] *= a} for {@code i < n}. */
  public static void scale(float a, float[] x, int off, int n) {
    window("x", x, off, n);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(S, x, off + i).mul(a).intoArray(x, off + i);
    }
    for (; i < n; i++) {
      x[off + i] *= a;
    }
  }

  /**
   * {@code out[outOff + i] = x[xOff + i] + y[yOff + i]} for {@code i < n}. {@code out} may be the
   * same window as {@code x} or {@code y}.
   */
  public static void add(
      float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
    window("x", x, xOff, n);
    window("y", y, yOff, n);
    window("out", out, outOff, n);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i)
          .add(FloatVector.fromArray(S, y, yOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = x[xOff + i] + y[yOff + i];
    }
  }

  /** The sum of {@code x[off .. off + n)}, accumulated in float lanes. */
  public static float sum(float[] x, int off, int n) {
    window("x", x, off, n);
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = acc0;
    int i = 0;
    for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
      acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
      acc1 = acc1.add(FloatVector.fromArray(S, x, off + i + L));
    }
    float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += x[off + i];
    }
    return s;
  }

  /** The dot product of two windows of length {@code n}, accumulated in float lanes. */
  public static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
    window("x", x, xOff, n);
    window("y", y, yOff, n);
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    int i = 0;
    for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
      acc0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc0);
      acc1 = FloatVector.fromArray(S, x, xOff + i + L)
          .fma(FloatVector.fromArray(S, y, yOff + i + L), acc1);
      acc2 = FloatVector.fromArray(S, x, xOff + i + 2 * L)
          .fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), acc2);
      acc3 = FloatVector.fromArray(S, x, xOff + i + 3 * L)
          .fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), acc3);
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      acc0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc0);
    }
    float s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s = Math.fma(x[xOff + i], y[yOff + i], s);
    }
    return s;
  }

  /**
   * The sum of squares of {@code x[off .. off + n)}: float lanes over chunks of 4096 elements, and a
   * double total across chunks, so that long vectors (L2 norms for clipping) keep their precision.
   */
  public static double sumOfSquares(float[] x, int off, int n) {
    window("x", x, off, n);
    double total = 0;
    int i = 0;
    while (i < n) {
      int end = Math.min(n, i + SQUARES_CHUNK);
      FloatVector acc0 = FloatVector.zero(S);
      FloatVector acc1 = acc0;
      for (; i <= end - 2 * L; i += 2 * L) {
        FloatVector v0 = FloatVector.fromArray(S, x, off + i);
        FloatVector v1 = FloatVector.fromArray(S, x, off + i + L);
        acc0 = v0.fma(v0, acc0);
        acc1 = v1.fma(v1, acc1);
      }
      double chunk = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
      for (; i < end; i++) {
        float v = x[off + i];
        chunk += (double) v * v;
      }
      total += chunk;
    }
    return total;
  }

  /** Sets {@code x[off .. off + n)} to {@code value}. */
  public static void fill(float[] x, int off, int n, float value) {
    window("x", x, off, n);
    Arrays.fill(x, off, off + n, value);
  }

  /** {@code x[i] = max(x[i], 0)} over the whole array: the ReLU forward pass, in place. */
  public static void reluInPlace(float[] x) {
    reluInPlace(x, 0, x.length);
  }

  /** {@code x[off + i] = max(x[off + i], 0)} for {@code i < n}. NaN stays NaN. */
  public static void reluInPlace(float[] x, int off, int n) {
    window("x", x, off, n);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, off + i);
      v.blend(zero, v.compare(VectorOperators.LT, 0f)).intoArray(x, off + i);
    }
    for (; i < n; i++) {
      if (x[off + i] < 0f) {
        x[off + i] = 0f;
      }
    }
  }

  /**
   * The ReLU backward pass over whole arrays of equal length: {@code grad[i] = 0} where {@code
   * activations[i] <= 0}, unchanged elsewhere. {@code activations} are the ReLU outputs (or
   * inputs; both have the same sign pattern).
   */
  public static void reluBackward(float[] grad, float[] activations) {
    if (grad.length != activations.length) {
      throw new IllegalArgumentException(
          "activations must have grad's length " + grad.length + " but has " + activations.length);
    }
    reluBackward(grad, 0, activations, 0, grad.length);
  }

  /** {@link #reluBackward(float[], float[])} on windows of length {@code n}. */
  public static void reluBackward(float[] grad, int gradOff, float[] activations, int actOff, int n) {
    window("grad", grad, gradOff, n);
    window("activations", activations, actOff, n);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector act = FloatVector.fromArray(S, activations, actOff + i);
      FloatVector.fromArray(S, grad, gradOff + i)
          .blend(zero, act.compare(VectorOperators.LE, 0f))
          .intoArray(grad, gradOff + i);
    }
    for (; i < n; i++) {
      if (activations[actOff + i] <= 0f) {
        grad[gradOff + i] = 0f;
      }
    }
  }

  /**
   * Adds {@code bias[biasOff .. biasOff + cols)} to every row of the row-major {@code rows x cols}
   * matrix at {@code x[xOff]}: the bias step of a dense layer's forward pass.
   */
  public static void addBias(float[] x, int xOff, int rows, int cols, float[] bias, int biasOff) {
    matrix("x", x, xOff, rows, cols);
    window("bias", bias, biasOff, cols);
    for (int r = 0; r < rows; r++) {
      int row = xOff + r * cols;
      int i = 0;
      for (int bound = S.loopBound(cols); i < bound; i += L) {
        FloatVector.fromArray(S, x, row + i)
            .add(FloatVector.fromArray(S, bias, biasOff + i))
            .intoArray(x, row + i);
      }
      for (; i < cols; i++) {
        x[row + i] += bias[biasOff + i];
      }
    }
  }

  /**
   * Writes the column sums of the row-major {@code rows x cols} matrix at {@code x[xOff]} into
   * {@code out[outOff .. outOff + cols)}: the bias gradient of a dense layer (the sum of the
   * output gradient over the batch).
   */
  public static void columnSums(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
    matrix("x", x, xOff, rows, cols);
    window("out", out, outOff, cols);
    Arrays.fill(out, outOff, outOff + cols, 0f);
    for (int r = 0; r < rows; r++) {
      int row = xOff + r * cols;
      int i = 0;
      for (int bound = S.loopBound(cols); i < bound; i += L) {
        FloatVector.fromArray(S, out, outOff + i)
            .add(FloatVector.fromArray(S, x, row + i))
            .intoArray(out, outOff + i);
      }
      for (; i < cols; i++) {
        out[outOff + i] += x[row + i];
      }
    }
  }

  private static void window(String name, float[] array, int off, int n) {
    if (array == null) {
      throw new NullPointerException(name);
    }
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0 but was " + n);
    }
    if (off < 0 || (long) off + n > array.length) {
      throw new IllegalArgumentException(
          name + " window [" + off + ", " + ((long) off + n) + ") does not fit length "
              + array.length);
    }
  }

  private static void matrix(String name, float[] array, int off, int rows, int cols) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0 but was " + rows);
    }
    if (cols < 0) {
      throw new IllegalArgumentException("cols must be >= 0 but was " + cols);
    }
    long size = (long) rows * cols;
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(rows + " x " + cols + " has more than 2^31 elements");
    }
    window(name, array, off, (int) size);
  }
}
