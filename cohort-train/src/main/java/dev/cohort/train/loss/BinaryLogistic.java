package dev.cohort.train.loss;

/** See {@link Loss#binaryLogistic()}. */
final class BinaryLogistic implements Loss {
  static final BinaryLogistic INSTANCE = new BinaryLogistic();

  private BinaryLogistic() {}

  @Override
  public String name() {
    return "binary-logistic";
  }

  @Override
  public boolean isClassification() {
    return true;
  }

  @Override
  public void checkOutputWidth(int width) {
    if (width != 1) {
      throw new IllegalArgumentException(
          "binary-logistic needs exactly 1 output (a logit) but the model has " + width);
    }
  }

  @Override
  public double compute(float[] output, int batch, int width, int[] labels, float[] targets,
      float[] grad) {
    double total = 0;
    for (int i = 0; i < batch; i++) {
      double z = output[i];
      int y = labels[i];
      // log(1 + e^z) - y z, written so that neither branch overflows.
      total += Math.max(z, 0) - (y == 1 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
      if (grad != null) {
        double sigmoid = z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
        grad[i] = (float) (sigmoid - y);
      }
    }
    return total;
  }

  @Override
  public int countCorrect(float[] output, int batch, int width, int[] labels) {
    int correct = 0;
    for (int i = 0; i < batch; i++) {
      if ((output[i] > 0f ? 1 : 0) == labels[i]) {
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
