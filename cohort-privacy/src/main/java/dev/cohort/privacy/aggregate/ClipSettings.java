package dev.cohort.privacy.aggregate;

/**
 * How client updates are clipped before they are summed: to a fixed L2 norm, or to a norm that
 * adapts each round toward a target quantile of the update norms (Andrew, Thakkar, McMahan and
 * Ramaswamy, "Differentially Private Learning with Adaptive Clipping", NeurIPS 2021).
 */
public sealed interface ClipSettings {
  /** The clipping norm of the first round. */
  double initialNorm();

  /** A fixed L2 clipping norm. */
  record Fixed(double norm) implements ClipSettings {
    public Fixed {
      positive("clipping norm", norm);
    }

    @Override
    public double initialNorm() {
      return norm;
    }
  }

  /**
   * Geometric adaptive clipping: after each round {@code C <- C * exp(-learningRate * (b - targetQuantile))},
   * where b is the noised fraction of updates whose norm was at most C.
   *
   * @param initialNorm the first round's norm (TFF's default 0.1)
   * @param targetQuantile the fraction of updates that should end up unclipped (default 0.5)
   * @param learningRate the geometric step (default 0.2)
   * @param clippedCountStddev standard deviation of the noise on the unclipped count (TFF's default
   *     is 0.05 times the expected clients per round)
   */
  record Adaptive(double initialNorm, double targetQuantile, double learningRate, double clippedCountStddev)
      implements ClipSettings {
    public Adaptive {
      positive("initial clipping norm", initialNorm);
      if (!(targetQuantile >= 0 && targetQuantile <= 1)) {
        throw new IllegalArgumentException("target quantile must be in [0, 1] but was " + targetQuantile);
      }
      positive("clipping learning rate", learningRate);
      positive("clipped-count noise stddev", clippedCountStddev);
    }
  }

  private static void positive(String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be finite and > 0 but was " + v);
    }
  }
}
