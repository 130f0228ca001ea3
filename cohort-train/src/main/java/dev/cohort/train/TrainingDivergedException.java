package dev.cohort.train;

/**
 * Training produced a NaN or infinite loss. Thrown instead of continuing on garbage; the usual
 * causes are a learning rate that is too high or unnormalised inputs.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final long step;
  private final double loss;

  /** {@code epoch} and {@code step} are 1-based; {@code step} counts within the epoch. */
  public TrainingDivergedException(int epoch, long step, double loss, String detail) {
    super("training diverged: the loss was " + loss + " at epoch " + epoch + ", step " + step
        + (detail.isEmpty() ? "" : " (" + detail + ")"));
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
  }

  /** The 1-based epoch. */
  public int epoch() {
    return epoch;
  }

  /** The 1-based step within the epoch. */
  public long step() {
    return step;
  }

  /** The non-finite loss sum of that batch. */
  public double loss() {
    return loss;
  }
}
