package dev.cohort.train;

import dev.cohort.tensor.Shape;
import dev.cohort.train.layer.Conv2D;
import dev.cohort.train.layer.Dense;
import dev.cohort.train.layer.Dropout;
import dev.cohort.train.layer.Flatten;
import dev.cohort.train.layer.Layer;
import dev.cohort.train.layer.MaxPool2D;
import dev.cohort.train.layer.ReLU;
import dev.cohort.train.layer.Tanh;
import dev.cohort.train.loss.Loss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Appends layers to a model, checking shapes as it goes, and names them by kind in order: {@code
 * conv0, conv1, pool0, relu0, dense0, ...} (parameters are then {@code dense0.weight} etc.):
 *
 * <pre>{@code
 * Model m = Model.builder(Shape.of(1, 28, 28))
 *     .conv2d(32, 5, 2).relu().maxPool2d()
 *     .flatten().dense(10)
 *     .loss(Loss.softmaxCrossEntropy())
 *     .build(42);
 * }</pre>
 *
 * Each call fails fast with an {@link IllegalArgumentException} naming the layer and the shape it
 * received. {@link #build} may be called repeatedly; every model gets its own layers and buffers.
 * Not thread-safe.
 */
public final class ModelBuilder {
  private final Shape inputShape;
  private final List<Step> steps = new ArrayList<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private Shape current;
  private Loss loss;

  ModelBuilder(Shape inputShape) {
    this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    this.current = inputShape;
  }

  /** A fully connected layer with {@code outFeatures} outputs (any input shape is read flat). */
  public ModelBuilder dense(int outFeatures) {
    return add("dense", (name, in, seeds) -> new Dense(name, in, outFeatures));
  }

  /** A stride-1 convolution with {@code outChannels} square {@code kernelSize} kernels. */
  public ModelBuilder conv2d(int outChannels, int kernelSize, int padding) {
    return add("conv", (name, in, seeds) -> new Conv2D(name, in, outChannels, kernelSize, padding));
  }

  /** 2x2 max pooling with stride 2. */
  public ModelBuilder maxPool2d() {
    return add("pool", (name, in, seeds) -> new MaxPool2D(name, in));
  }

  public ModelBuilder relu() {
    return add("relu", (name, in, seeds) -> new ReLU(name, in));
  }

  public ModelBuilder tanh() {
    return add("tanh", (name, in, seeds) -> new Tanh(name, in));
  }

  /** {@link #relu()} or {@link #tanh()} by name ("relu" or "tanh"). */
  public ModelBuilder activation(String activation) {
    return switch (activation) {
      case "relu" -> relu();
      case "tanh" -> tanh();
      default -> throw new IllegalArgumentException(
          "activation must be 'relu' or 'tanh' but was '" + activation + "'");
    };
  }

  public ModelBuilder flatten() {
    return add("flatten", (name, in, seeds) -> new Flatten(name, in));
  }

  /** Inverted dropout with drop probability {@code p}, seeded from the model seed. */
  public ModelBuilder dropout(double p) {
    return add("dropout", (name, in, seeds) -> new Dropout(name, in, p, seeds.nextLong()));
  }

  /** The loss on the last layer's output (required). */
  public ModelBuilder loss(Loss loss) {
    this.loss = Objects.requireNonNull(loss, "loss");
    return this;
  }

  /** The per-example shape after the layers added so far. */
  public Shape currentShape() {
    return current;
  }

  /**
   * A model with parameters drawn from {@code seed} (same seed, same parameters, bit for bit).
   *
   * @throws IllegalStateException if no layer or no loss was given
   * @throws IllegalArgumentException if the loss does not fit the output width
   */
  public Model build(long seed) {
    if (steps.isEmpty()) {
      throw new IllegalStateException("a model needs at least one layer");
    }
    if (loss == null) {
      throw new IllegalStateException("a model needs a loss; call loss(...) before build()");
    }
    return new Model(new Recipe(inputShape, List.copyOf(steps), loss), seed);
  }

  private ModelBuilder add(String kind, Factory factory) {
    int index = counters.merge(kind, 1, Integer::sum) - 1;
    Step step = new Step(kind + index, factory);
    Layer probe = step.create(current, new SplittableRandom(0));
    steps.add(step);
    current = probe.outputShape();
    return this;
  }

  @FunctionalInterface
  private interface Factory {
    Layer create(String name, Shape input, SplittableRandom seeds);
  }

  private record Step(String name, Factory factory) {
    Layer create(Shape input, SplittableRandom seeds) {
      return factory.create(name, input, seeds);
    }
  }

  /** An immutable description of a stack, from which models are instantiated. */
  record Recipe(Shape inputShape, List<Step> steps, Loss loss) {
    List<Layer> instantiate(long seed) {
      SplittableRandom seeds = new SplittableRandom(seed ^ 0x5DEECE66DL);
      List<Layer> layers = new ArrayList<>(steps.size());
      Shape shape = inputShape;
      for (Step step : steps) {
        Layer layer = step.create(shape, seeds);
        layers.add(layer);
        shape = layer.outputShape();
      }
      return List.copyOf(layers);
    }
  }
}
