package dev.cohort.train.loss;

/** See {@link Loss#softmaxCrossEntropy()}. */
final class SoftmaxCrossEntropy implements Loss {
  static final SoftmaxCrossEntropy INSTANCE = new SoftmaxCrossEntropy();

  private SoftmaxCrossEntropy() {}

  @Override
  public String name() {
    return "cross-entropy";
  }

  @Override
  public boolean isClassification() {
    return true;
  }

  @Override
  public void checkOutputWidth(int width) {
    if (width < 2) {
      throw new IllegalArgumentException(
          "cross-entropy needs at least 2 outputs (one per class) but the model has " + width);
    }
  }

  @Override
  public double compute(float[] output, int batch, int width, int[] labels, float[] targets,
      float[] grad) {
    double total = 0;
    for (int i = 0; i < batch; i++) {
      int row = i * width;
      float max = output[row];
      for (int j = 1; j < width; j++) {
        max = Math.max(max, output[row + j]);
      }
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double e = Math.exp((double) output[row + j] - max);
        sum += e;
        if (grad != null) {
          grad[row + j] = (float) e;
        }
      }
      int y = labels[i];
      total += Math.log(sum) - ((double) output[row + y] - max);
      if (grad != null) {
        double inv = 1.0 / sum;
        for (int j = 0; j < width; j++) {
          grad[row + j] = (float) (grad[row + j] * inv);
        }
        grad[row + y] -= 1f;
      }
    }
    return total;
  }

  @Override
  public int countCorrect(float[] output, int batch, int width, int[] labels) {
    int correct = 0;
    for (int i = 0; i < batch; i++) {
      int row = i * width;
      int best = 0;
      for (int j = 1; j < width; j++) {
        if (output[row + j] > output[row + best]) {
          best = j;
        }
      }
      if (best == labels[i]) {
        correct++;
      }
    }
    return correct;
  }

  @Override
  public String toString() {
    return name();
  }
}
