package dev.cohort.train;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.Tensor;
import java.util.Arrays;

/**
 * The per-example result of the latest {@link GradientMode#PER_EXAMPLE} or {@link
 * GradientMode#PER_EXAMPLE_NORMS} backward pass of a {@link Model}: each example's squared gradient
 * norm and, for {@code PER_EXAMPLE}, each example's full gradient as a row in the model's
 * parameter layout.
 *
 * <p>A live view owned by its model: the next such backward pass overwrites it and the next
 * forward pass invalidates it (reads then throw {@link IllegalStateException}). Not thread-safe.
 */
public final class PerExampleGradients {
  private final ParameterLayout layout;
  private final int parameterCount;
  private float[] rows = new float[0];
  private double[] squaredNorms = new double[0];
  private int batch;
  private boolean hasRows;
  private boolean valid;

  PerExampleGradients(ParameterLayout layout) {
    this.layout = layout;
    this.parameterCount = layout.totalSize();
  }

  /** Rows for {@code batch} examples (grown when needed, never shrunk). */
  float[] rowsFor(int batch) {
    long need = (long) batch * parameterCount;
    if (need > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("per-example gradients of " + batch + " x "
          + parameterCount + " parameters exceed 2^31 floats; use PER_EXAMPLE_NORMS or a smaller batch");
    }
    if (rows.length < need) {
      rows = new float[(int) need];
    }
    return rows;
  }

  /** Squared norms for {@code batch} examples, zeroed. */
  double[] normsFor(int batch) {
    if (squaredNorms.length < batch) {
      squaredNorms = new double[batch];
    }
    Arrays.fill(squaredNorms, 0, batch, 0.0);
    return squaredNorms;
  }

  void publish(int batch, boolean withRows) {
    this.batch = batch;
    this.hasRows = withRows;
    this.valid = true;
  }

  void invalidate() {
    valid = false;
  }

  /** The number of examples of the pass. */
  public int batchSize() {
    check();
    return batch;
  }

  /** The length of one row: the model's parameter count. */
  public int parameterCount() {
    return parameterCount;
  }

  /** The layout of every row. */
  public ParameterLayout layout() {
    return layout;
  }

  /** Whether rows were materialised ({@code PER_EXAMPLE}) or only norms ({@code PER_EXAMPLE_NORMS}). */
  public boolean hasRows() {
    check();
    return hasRows;
  }

  /** Example i's squared L2 gradient norm. */
  public double squaredNorm(int i) {
    check();
    return squaredNorms[index(i)];
  }

  /** Example i's L2 gradient norm. */
  public double norm(int i) {
    return Math.sqrt(squaredNorm(i));
  }

  /** The squared norms of all examples, as a new array. */
  public double[] squaredNorms() {
    check();
    return Arrays.copyOf(squaredNorms, batch);
  }

  /**
   * The backing {@code batchSize() x parameterCount()} row-major matrix (shared; it may be longer
   * than that, and only the first {@code batchSize()} rows are meaningful).
   *
   * @throws IllegalStateException if the pass computed norms only
   */
  public float[] rows() {
    checkRows();
    return rows;
  }

  /** A view of example i's gradient (writes go to the shared matrix). */
  public Tensor row(int i) {
    checkRows();
    return Tensor.view(rows, index(i) * parameterCount, Shape.of(parameterCount));
  }

  /** Copies example i's gradient into {@code dst[0 .. parameterCount())}. */
  public void copyRow(int i, float[] dst) {
    checkRows();
    System.arraycopy(rows, index(i) * parameterCount, dst, 0, parameterCount);
  }

  private int index(int i) {
    if (i < 0 || i >= batch) {
      throw new IndexOutOfBoundsException("example " + i + " outside batch of " + batch);
    }
    return i;
  }

  private void check() {
    if (!valid) {
      throw new IllegalStateException("no per-example gradients: run backward(PER_EXAMPLE) or"
          + " backward(PER_EXAMPLE_NORMS) after the latest forward pass");
    }
  }

  private void checkRows() {
    check();
    if (!hasRows) {
      throw new IllegalStateException(
          "rows were not materialised: the latest backward pass ran in PER_EXAMPLE_NORMS mode");
    }
  }

  @Override
  public String toString() {
    return valid ? "PerExampleGradients[" + batch + " x " + parameterCount
        + (hasRows ? "" : ", norms only") + "]" : "PerExampleGradients[invalid]";
  }
}
