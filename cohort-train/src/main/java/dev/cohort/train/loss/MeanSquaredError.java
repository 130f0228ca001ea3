package dev.cohort.train.loss;

/** See {@link Loss#meanSquaredError()}. */
final class MeanSquaredError implements Loss {
  static final MeanSquaredError INSTANCE = new MeanSquaredError();

  private MeanSquaredError() {}

  @Override
  public String name() {
    return "mse";
  }

  @Override
  public boolean isClassification() {
    return false;
  }

  @Override
  public void checkOutputWidth(int width) {
    if (width < 1) {
      throw new IllegalArgumentException("mse needs at least 1 output but the model has " + width);
    }
  }

  @Override
  public double compute(float[] output, int batch, int width, int[] labels, float[] targets,
      float[] grad) {
    double total = 0;
    double scale = 2.0 / width;
    for (int i = 0; i < batch * width; i += width) {
      double sum = 0;
      for (int j = i; j < i + width; j++) {
        double d = (double) output[j] - targets[j];
        sum += d * d;
        if (grad != null) {
          grad[j] = (float) (scale * d);
        }
      }
      total += sum / width;
    }
    return total;
  }

  @Override
  public int countCorrect(float[] output, int batch, int width, int[] labels) {
    throw new UnsupportedOperationException("mse is a regression loss and has no accuracy");
  }

  @Override
  public String toString() {
    return name();
  }
}
