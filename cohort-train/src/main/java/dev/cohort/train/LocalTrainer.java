package dev.cohort.train;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.train.optim.Optimizer;
import dev.cohort.train.optim.OptimizerSpec;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains and evaluates models on local data: the client side of a federated round, with nothing
 * federated in it.
 *
 * <p>{@link #fit} runs minibatch training: each epoch shuffles the examples with a generator
 * seeded from {@code seed}, fills reused batch buffers with {@link Dataset#copyBatch}, and steps the
 * optimiser on the gradient of each batch's <em>mean</em> loss (the last, partial batch included,
 * averaged over its own size). Same model parameters, data, configuration and seed give the same
 * parameters bit for bit, as long as kernels run single-threaded ({@code
 * Kernels.setIntraOpThreads(1)}, the default). A NaN or infinite loss stops training with a
 * {@link TrainingDivergedException} naming the epoch and step.
 *
 * <p>A trainer is reusable across models and fits and keeps its buffers (and, with {@link
 * TrainConfig#keepOptimizerState()}, its optimiser) between them. It is not thread-safe: use one
 * trainer and one model per thread.
 */
public final class LocalTrainer {
  private Batch batch;
  private Batch evalBatch;
  private int[] order = new int[0];
  private float[] anchor = new float[0];
  private Optimizer optimizer;

  /** A trainer with no buffers yet. */
  public LocalTrainer() {}

  /**
   * Trains {@code model} in place on {@code data}. With a proximal term, the anchor is the model's
   * parameters at the start of the fit (the global model, in FedProx).
   *
   * @throws IllegalArgumentException if the data does not fit the model ({@link #checkCompatible})
   * @throws TrainingDivergedException if a batch's loss is NaN or infinite
   */
  public TrainResult fit(Model model, Dataset data, TrainConfig config, long seed) {
    return fit(model, data, config, seed, null);
  }

  /**
   * As {@link #fit(Model, Dataset, TrainConfig, long)}, with an explicit proximal anchor ({@code
   * null}: the starting parameters). The anchor is copied; it is ignored when {@code proximalMu}
   * is 0.
   */
  public TrainResult fit(Model model, Dataset data, TrainConfig config, long seed,
      ParameterSet proximalAnchor) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(config, "config");
    checkCompatible(model, data);
    int n = data.size();
    if (n == 0) {
      return new TrainResult(0, 0, Double.NaN, Double.NaN, 0, config.epochs());
    }
    float[] w = model.parameters().data();
    float[] g = model.gradients().data();
    int bs = Math.min(config.batchSize(), n);
    Optimizer opt = optimizerFor(config, w.length);
    float mu = (float) config.proximalMu();
    float[] anchorValues = mu > 0 ? anchor(model, proximalAnchor) : null;
    boolean fused = mu == 0 && config.optimizer() instanceof OptimizerSpec.Sgd s && s.isPlain();
    float lr = (float) config.optimizer().learningRate();
    Batch b = trainBatch(data, bs);
    int[] ord = identity(n);
    SplittableRandom rng = new SplittableRandom(seed);
    model.reseed(rng.nextLong());
    model.reserve(bs);

    double total = 0;
    double epochLoss = 0;
    long steps = 0;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      shuffle(ord, n, rng);
      epochLoss = 0;
      long step = 0;
      for (int from = 0; from < n; from += bs) {
        int count = Math.min(bs, n - from);
        step++;
        b.fill(data, ord, from, count);
        model.forward(b.features(), count, true);
        double loss = model.lossAndGradient(b);
        if (!Double.isFinite(loss)) {
          throw new TrainingDivergedException(epoch, step, loss, "a batch of " + count
              + " examples from " + data.name() + ", " + config.optimizer());
        }
        epochLoss += loss;
        if (fused) {
          model.backwardDescend(lr);
        } else {
          model.backward(GradientMode.MEAN);
          if (anchorValues != null) {
            for (int i = 0; i < g.length; i++) {
              g[i] += mu * (w[i] - anchorValues[i]);
            }
          }
          opt.step(w, g);
        }
      }
      steps += step;
      total += epochLoss;
    }
    long processed = (long) n * config.epochs();
    return new TrainResult(n, processed, total / processed, epochLoss / n, steps, config.epochs());
  }

  /**
   * The mean loss and accuracy of {@code model} on {@code data}, in batches of {@code batchSize}
   * with dropout off. Accuracy is NaN for regression; a binary logistic model predicts class 1 when
   * its logit is above 0.
   *
   * @throws IllegalArgumentException if {@code batchSize < 1} or the data does not fit the model
   */
  public Evaluation evaluate(Model model, Dataset data, int batchSize) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
    }
    checkCompatible(model, data);
    int n = data.size();
    if (n == 0) {
      return new Evaluation(0, Double.NaN, Double.NaN);
    }
    int bs = Math.min(batchSize, n);
    if (evalBatch == null || !fits(evalBatch, data, bs)) {
      evalBatch = Batch.forDataset(data, bs);
    }
    int[] ord = identity(n);
    int width = model.outputShape().size();
    boolean classification = model.loss().isClassification();
    double lossSum = 0;
    long correct = 0;
    for (int from = 0; from < n; from += bs) {
      int count = Math.min(bs, n - from);
      evalBatch.fill(data, ord, from, count);
      float[] out = model.forward(evalBatch.features(), count, false);
      lossSum += model.loss().compute(out, count, width, evalBatch.labels(), evalBatch.targets(),
          null);
      if (classification) {
        correct += model.loss().countCorrect(out, count, width, evalBatch.labels());
      }
    }
    return new Evaluation(n, lossSum / n, classification ? (double) correct / n : Double.NaN);
  }

  /**
   * Checks that {@code data} can train or evaluate {@code model}: the example sizes match, and
   * labels fit a classification loss (classes within the outputs; exactly 2 for binary logistic)
   * or targets fit a regression loss.
   *
   * @throws IllegalArgumentException naming the dataset, the model and the mismatch
   */
  public static void checkCompatible(Model model, Dataset data) {
    if (data.exampleShape().size() != model.inputShape().size()) {
      throw new IllegalArgumentException("dataset " + data.name() + " has examples of shape "
          + data.exampleShape() + " but the model takes " + model.inputShape());
    }
    int width = model.outputShape().size();
    String loss = model.loss().name();
    if (model.loss().isClassification() != data.isClassification()) {
      throw new IllegalArgumentException("the model's " + loss + " loss needs "
          + (model.loss().isClassification() ? "class labels" : "regression targets")
          + " but dataset " + data.name() + " has "
          + (data.isClassification() ? "class labels" : "regression targets"));
    }
    if (data.isClassification()) {
      if (width == 1 && data.numClasses() != 2) {
        throw new IllegalArgumentException("the model's binary-logistic loss needs 2 classes but"
            + " dataset " + data.name() + " has " + data.numClasses());
      }
      if (width > 1 && data.numClasses() > width) {
        throw new IllegalArgumentException("dataset " + data.name() + " has " + data.numClasses()
            + " classes but the model has only " + width + " outputs");
      }
    } else if (data.targetSize() != width) {
      throw new IllegalArgumentException("dataset " + data.name() + " has " + data.targetSize()
          + " targets per example but the model has " + width + " outputs");
    }
  }

  private Optimizer optimizerFor(TrainConfig config, int size) {
    Optimizer opt = optimizer;
    if (opt != null && opt.size() == size && opt.spec().equals(config.optimizer())) {
      if (!config.keepOptimizerState()) {
        opt.reset();
      }
    } else {
      opt = config.optimizer().create(size);
      optimizer = opt;
    }
    return opt;
  }

  private float[] anchor(Model model, ParameterSet explicit) {
    float[] w = model.parameters().data();
    if (anchor.length != w.length) {
      anchor = new float[w.length];
    }
    if (explicit == null) {
      System.arraycopy(w, 0, anchor, 0, w.length);
    } else {
      model.layout().checkCompatible(explicit.layout(), "proximalAnchor");
      System.arraycopy(explicit.data(), 0, anchor, 0, w.length);
    }
    return anchor;
  }

  private Batch trainBatch(Dataset data, int bs) {
    if (batch == null || !fits(batch, data, bs)) {
      batch = Batch.forDataset(data, bs);
    }
    return batch;
  }

  private static boolean fits(Batch b, Dataset data, int bs) {
    return b.capacity() >= bs && b.exampleShape().size() == data.exampleShape().size()
        && b.isClassification() == data.isClassification()
        && b.targetSize() == data.targetSize();
  }

  private int[] identity(int n) {
    if (order.length < n) {
      order = new int[n];
    }
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  private static void shuffle(int[] a, int n, SplittableRandom rng) {
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
