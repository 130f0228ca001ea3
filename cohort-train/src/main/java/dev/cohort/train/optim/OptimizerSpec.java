package dev.cohort.train.optim;

/**
 * An optimiser's hyper-parameters, as a value that can travel in a training configuration; {@link
 * #create} makes the stateful {@link Optimizer}. Both variants follow PyTorch's {@code
 * torch.optim} update rules, so results are comparable with PyTorch runs.
 */
public sealed interface OptimizerSpec {

  /** Plain SGD with learning rate {@code lr}. */
  static Sgd sgd(double lr) {
    return new Sgd(lr, 0, 0, false);
  }

  /** SGD with momentum, L2 weight decay and optionally Nesterov momentum. */
  static Sgd sgd(double lr, double momentum, double weightDecay, boolean nesterov) {
    return new Sgd(lr, momentum, weightDecay, nesterov);
  }

  /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  static Adam adam(double lr) {
    return new Adam(lr, 0.9, 0.999, 1e-8, 0);
  }

  /** Adam with every setting given. */
  static Adam adam(double lr, double beta1, double beta2, double epsilon, double weightDecay) {
    return new Adam(lr, beta1, beta2, epsilon, weightDecay);
  }

  /** The learning rate. */
  double learningRate();

  /** A fresh optimiser (zero state) for {@code parameterCount} parameters. */
  Optimizer create(int parameterCount);

  /**
   * SGD as {@code torch.optim.SGD} (dampening 0): {@code g += weightDecay * w}; with momentum,
   * {@code buf = momentum * buf + g} and {@code g = nesterov ? g + momentum * buf : buf}; then
   * {@code w -= learningRate * g}.
   */
  record Sgd(double learningRate, double momentum, double weightDecay, boolean nesterov)
      implements OptimizerSpec {
    public Sgd {
      positive("sgd learningRate", learningRate);
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("sgd momentum must be in [0, 1) but was " + momentum);
      }
      nonNegative("sgd weightDecay", weightDecay);
      if (nesterov && momentum == 0) {
        throw new IllegalArgumentException("sgd nesterov needs momentum > 0 but momentum was 0.0");
      }
    }

    /** Whether a step is exactly {@code w -= learningRate * g} (no momentum, no weight decay). */
    public boolean isPlain() {
      return momentum == 0 && weightDecay == 0;
    }

    @Override
    public Optimizer create(int parameterCount) {
      return new SgdOptimizer(this, parameterCount);
    }
  }

  /**
   * Adam as {@code torch.optim.Adam} (L2 weight decay added to the gradient, not AdamW): {@code m
   * = beta1 m + (1 - beta1) g}, {@code v = beta2 v + (1 - beta2) g^2}, {@code w -= (lr / (1 -
   * beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)}.
   */
  record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
      implements OptimizerSpec {
    public Adam {
      positive("adam learningRate", learningRate);
      if (!(beta1 >= 0 && beta1 < 1)) {
        throw new IllegalArgumentException("adam beta1 must be in [0, 1) but was " + beta1);
      }
      if (!(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("adam beta2 must be in [0, 1) but was " + beta2);
      }
      positive("adam epsilon", epsilon);
      nonNegative("adam weightDecay", weightDecay);
    }

    @Override
    public Optimizer create(int parameterCount) {
      return new AdamOptimizer(this, parameterCount);
    }
  }

  private static void positive(String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be > 0 and finite but was " + v);
    }
  }

  private static void nonNegative(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be >= 0 and finite but was " + v);
    }
  }
}
