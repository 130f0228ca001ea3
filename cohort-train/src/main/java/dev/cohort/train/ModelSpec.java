package dev.cohort.train;

import dev.cohort.tensor.Shape;
import dev.cohort.train.loss.Loss;
import java.util.List;
import java.util.Objects;

/**
 * A built-in model family and its sizes, as a value that can travel in configuration. Kinds:
 *
 * <ul>
 *   <li>{@code "logistic"}: one dense layer; softmax cross-entropy for more than 2 classes, binary
 *       logistic on a single logit for 2;
 *   <li>{@code "linear"}: one dense layer with squared error (regression);
 *   <li>{@code "mlp"}: dense layers of {@code hiddenSizes} with {@code activation}, then a dense
 *       output and cross-entropy; {@link #twoNN()} is McMahan et al. 2017's 2NN (784-200-200-10);
 *   <li>{@code "cnn"}: McMahan et al. 2017's CNN: conv 5x5 32 channels (padding 2), activation,
 *       2x2 max pool, conv 5x5 64 (padding 2), activation, pool, dense 512, activation, dense out
 *       (1,663,370 parameters on 1x28x28 with 10 classes);
 *   <li>{@code "simple-cnn"}: NIID-Bench's (Li et al. 2022) CNN: conv 6@5x5, activation, pool,
 *       conv 16@5x5, activation, pool, dense 120, activation, dense 84, activation, dense out.
 * </ul>
 *
 * {@code activation} is {@code "relu"} or {@code "tanh"} (DP-SGD favours tanh); {@code hiddenSizes}
 * applies to {@code mlp} only and must be empty otherwise. Immutable; validated on construction.
 */
public record ModelSpec(String kind, List<Integer> hiddenSizes, String activation) {
  /** The supported kinds. */
  public static final List<String> KINDS = List.of("logistic", "linear", "mlp", "cnn", "simple-cnn");

  public ModelSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(hiddenSizes, "hiddenSizes");
    Objects.requireNonNull(activation, "activation");
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be one of " + KINDS + " but was '" + kind + "'");
    }
    if (!activation.equals("relu") && !activation.equals("tanh")) {
      throw new IllegalArgumentException(
          "activation must be 'relu' or 'tanh' but was '" + activation + "'");
    }
    hiddenSizes = List.copyOf(hiddenSizes);
    if (kind.equals("mlp")) {
      if (hiddenSizes.isEmpty()) {
        throw new IllegalArgumentException("mlp needs at least one hidden size but hiddenSizes was []");
      }
      for (int h : hiddenSizes) {
        if (h <= 0) {
          throw new IllegalArgumentException("mlp hidden sizes must be > 0 but were " + hiddenSizes);
        }
      }
    } else if (!hiddenSizes.isEmpty()) {
      throw new IllegalArgumentException(kind + " has a fixed architecture, so hiddenSizes must be"
          + " empty but was " + hiddenSizes);
    }
  }

  /** Logistic regression (multinomial for more than 2 classes, binary for 2). */
  public static ModelSpec logistic() {
    return new ModelSpec("logistic", List.of(), "relu");
  }

  /** Linear regression with squared error. */
  public static ModelSpec linear() {
    return new ModelSpec("linear", List.of(), "relu");
  }

  /** A multi-layer perceptron. */
  public static ModelSpec mlp(List<Integer> hiddenSizes, String activation) {
    return new ModelSpec("mlp", hiddenSizes, activation);
  }

  /** McMahan et al. 2017's 2NN: mlp [200, 200] with ReLU. */
  public static ModelSpec twoNN() {
    return mlp(List.of(200, 200), "relu");
  }

  /** McMahan et al. 2017's CNN with the given activation. */
  public static ModelSpec cnn(String activation) {
    return new ModelSpec("cnn", List.of(), activation);
  }

  /** NIID-Bench's simple CNN with the given activation. */
  public static ModelSpec simpleCnn(String activation) {
    return new ModelSpec("simple-cnn", List.of(), activation);
  }

  /**
   * A model of this kind for examples of {@code inputShape} and {@code outputs} classes (or
   * regression targets for {@code linear}), initialised from {@code seed}.
   *
   * @throws IllegalArgumentException if {@code outputs} or {@code inputShape} does not suit the kind
   */
  public Model build(Shape inputShape, int outputs, long seed) {
    return builder(inputShape, outputs).build(seed);
  }

  /** The builder that {@link #build} uses, for adding to or inspecting the stack. */
  public ModelBuilder builder(Shape inputShape, int outputs) {
    Objects.requireNonNull(inputShape, "inputShape");
    int minOutputs = kind.equals("linear") ? 1 : 2;
    if (outputs < minOutputs) {
      throw new IllegalArgumentException(kind + " needs outputs >= " + minOutputs
          + (minOutputs == 2 ? " (classes)" : "") + " but was " + outputs);
    }
    ModelBuilder b = Model.builder(inputShape);
    return switch (kind) {
      case "logistic" -> outputs == 2
          ? b.dense(1).loss(Loss.binaryLogistic())
          : b.dense(outputs).loss(Loss.softmaxCrossEntropy());
      case "linear" -> b.dense(outputs).loss(Loss.meanSquaredError());
      case "mlp" -> {
        if (inputShape.rank() > 1) {
          b.flatten();
        }
        for (int h : hiddenSizes) {
          b.dense(h).activation(activation);
        }
        yield b.dense(outputs).loss(Loss.softmaxCrossEntropy());
      }
      case "cnn" -> {
        requireImage(inputShape, 4);
        yield b.conv2d(32, 5, 2).activation(activation).maxPool2d()
            .conv2d(64, 5, 2).activation(activation).maxPool2d()
            .flatten().dense(512).activation(activation)
            .dense(outputs).loss(Loss.softmaxCrossEntropy());
      }
      case "simple-cnn" -> {
        requireImage(inputShape, 16);
        yield b.conv2d(6, 5, 0).activation(activation).maxPool2d()
            .conv2d(16, 5, 0).activation(activation).maxPool2d()
            .flatten().dense(120).activation(activation)
            .dense(84).activation(activation)
            .dense(outputs).loss(Loss.softmaxCrossEntropy());
      }
      default -> throw new IllegalStateException("unknown kind " + kind);
    };
  }

  private void requireImage(Shape s, int minSide) {
    if (s.rank() != 3 || s.dim(1) < minSide || s.dim(2) < minSide) {
      throw new IllegalArgumentException(kind + " needs image input [channels, height, width] of at"
          + " least " + minSide + "x" + minSide + " but the input shape was " + s);
    }
  }

  @Override
  public String toString() {
    return switch (kind) {
      case "mlp" -> "mlp" + hiddenSizes + " " + activation;
      case "cnn", "simple-cnn" -> kind + " " + activation;
      default -> kind;
    };
  }
}
