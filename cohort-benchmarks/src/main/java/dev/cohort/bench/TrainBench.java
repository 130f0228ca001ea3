package dev.cohort.bench;

import dev.cohort.data.Dataset;
import dev.cohort.data.FashionMnist;
import dev.cohort.data.Split;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.train.Batch;
import dev.cohort.train.GradientMode;
import dev.cohort.train.LayerTiming;
import dev.cohort.train.LocalTrainer;
import dev.cohort.train.Model;
import dev.cohort.train.ModelSpec;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.optim.OptimizerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Local-training throughput on Fashion-MNIST, set up like the PyTorch baseline
 * {@code cohort-benchmarks/scripts/torch_baseline.py}
 * so the two can be compared: the first 10,000 training examples for the 2NN (2,000 for the CNN),
 * normalised with mean 0.2860 and std 0.3530, softmax cross-entropy, plain SGD with learning rate
 * 0.05, one epoch per pass through {@link LocalTrainer#fit} (which also shuffles; PyTorch's script
 * does not). Warm-up passes until {@link #WARM_UP_NANOS} have gone by (the JIT compiles the
 * Vector API kernels over the first second or so, during which a pass of the 2NN runs up to a
 * third slower), then the median of the timed passes.
 *
 * <p>Usage: {@code TrainBench 2nn|cnn|simple-cnn BATCH [THREADS [PASSES]] [--layer-threads]
 * [--profile] [--dp-ghost]}: threads go to the matrix multiply unless {@code --layer-threads}
 * gives them to the layers instead ({@code Model.setThreads}); {@code --dp-ghost} measures DP-SGD
 * with ghost clipping instead. Defaults: 2 threads, 3 passes. Timings on a shared machine are noisy (about +-20%); compare ratios measured in one
 * session.
 */
public final class TrainBench {
  /** How long the untimed passes run before the timed ones: at least one pass and 2 seconds. */
  static final long WARM_UP_NANOS = 2_000_000_000L;

  private TrainBench() {}

  /** Where the threads go. */
  public enum Threading {
    /** Layers split their operations ({@code Model.setThreads}); kernels single-threaded. */
    LAYERS,
    /** Kernels split each call ({@code Kernels.setIntraOpThreads}); layers serial. */
    KERNELS
  }

  /**
   * One measurement.
   *
   * @param kernel the matrix multiply used ({@code Kernels.describe()})
   * @param samplesPerSecond every timed pass, in order
   */
  public record Result(String model, int batchSize, int threads, Threading threading,
      String kernel, int examples, double medianSamplesPerSecond, List<Double> samplesPerSecond) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s batch %d, %d thread(s) in %s, %s: %,.0f samples/s"
          + " (median of %d passes over %,d examples: %s)", model, batchSize, threads,
          threading.name().toLowerCase(Locale.ROOT), kernel, medianSamplesPerSecond,
          samplesPerSecond.size(), examples, samplesPerSecond.stream()
              .map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList());
    }
  }

  /**
   * Trains {@code modelKind} ("2nn", "cnn", or "simple-cnn" on 10,000 examples) for {@code
   * passes} timed epochs after the warm-up, with {@code threads} threads inside each matrix
   * multiply ({@link Threading#KERNELS}, as PyTorch uses its threads).
   */
  public static Result run(String modelKind, int batchSize, int threads, int passes) {
    return run(modelKind, batchSize, threads, passes, Threading.KERNELS);
  }

  /** As {@link #run(String, int, int, int)}, choosing where the threads go. */
  public static Result run(String modelKind, int batchSize, int threads, int passes,
      Threading threading) {
    if (batchSize < 1 || threads < 1 || passes < 1) {
      throw new IllegalArgumentException("batchSize, threads and passes must be >= 1 but were "
          + batchSize + ", " + threads + ", " + passes);
    }
    Setup s = setup(modelKind);
    configure(s.model, threads, threading);
    LocalTrainer trainer = new LocalTrainer();
    TrainConfig config = TrainConfig.of(1, batchSize, OptimizerSpec.sgd(0.05));
    int pass = warmUp(() -> trainer.fit(s.model, s.data, config, 0));
    List<Double> rates = new ArrayList<>();
    for (int timed = 0; timed < passes; timed++, pass++) {
      long t0 = System.nanoTime();
      trainer.fit(s.model, s.data, config, pass);
      rates.add(s.data.size() / ((System.nanoTime() - t0) / 1e9));
    }
    double[] values = rates.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(modelKind, batchSize, threads, threading, Kernels.describe(),
        s.data.size(), Medians.median(values), List.copyOf(rates));
  }

  /** Runs {@code pass} until {@link #WARM_UP_NANOS} have gone by; returns how many passes ran. */
  private static int warmUp(Runnable pass) {
    long start = System.nanoTime();
    int passes = 0;
    do {
      pass.run();
      passes++;
    } while (System.nanoTime() - start < WARM_UP_NANOS);
    return passes;
  }

  private static void configure(Model model, int threads, Threading threading) {
    Kernels.setIntraOpThreads(threading == Threading.KERNELS ? threads : 1);
    model.setThreads(threading == Threading.LAYERS ? threads : 1);
  }

  /**
   * DP-SGD throughput with ghost clipping (Abadi et al. 2016 clipping at norm 1): per batch a
   * forward pass, {@code backward(PER_EXAMPLE_NORMS)}, clip factors {@code min(1, C / ||g_i||)}, a
   * weighted {@code backward(SUM)} and an SGD step on the clipped mean. Noise generation is left
   * out (it belongs to the privacy layer and costs the same for every method), so this measures
   * the gradient side only.
   */
  public static Result runGhostClipping(String modelKind, int batchSize, int threads, int passes,
      Threading threading) {
    Setup s = setup(modelKind);
    configure(s.model, threads, threading);
    Model m = s.model;
    Batch batch = Batch.forDataset(s.data, batchSize);
    float[] clip = new float[batchSize];
    int[] order = java.util.stream.IntStream.range(0, s.data.size()).toArray();
    float[] w = m.parameters().data();
    float[] g = m.gradients().data();
    List<Double> rates = new ArrayList<>();
    for (int pass = 0; pass <= passes; pass++) {
      long t0 = System.nanoTime();
      for (int from = 0; from < s.data.size(); from += batchSize) {
        int count = Math.min(batchSize, s.data.size() - from);
        batch.fill(s.data, order, from, count);
        m.forward(batch.features(), count, true);
        m.lossAndGradient(batch);
        m.backward(GradientMode.PER_EXAMPLE_NORMS);
        for (int i = 0; i < count; i++) {
          clip[i] = (float) Math.min(1.0, 1.0 / Math.max(1e-12, m.perExampleGradients().norm(i)));
        }
        m.backward(GradientMode.MEAN, clip);
        for (int i = 0; i < w.length; i++) {
          w[i] -= 0.05f * g[i];
        }
      }
      if (pass > 0) {
        rates.add(s.data.size() / ((System.nanoTime() - t0) / 1e9));
      }
    }
    double[] values = rates.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(modelKind + " dp-sgd ghost clipping", batchSize, threads, threading,
        Kernels.describe(), s.data.size(), Medians.median(values), List.copyOf(rates));
  }

  /**
   * Per-layer forward and backward time (in ms per pass) over {@code passes} profiled epochs after
   * one warm-up, as printable lines.
   */
  public static List<String> profile(String modelKind, int batchSize, int threads, int passes,
      Threading threading) {
    Setup s = setup(modelKind);
    configure(s.model, threads, threading);
    LocalTrainer trainer = new LocalTrainer();
    TrainConfig config = TrainConfig.of(1, batchSize, OptimizerSpec.sgd(0.05));
    trainer.fit(s.model, s.data, config, 0);
    s.model.takeProfile();
    s.model.setProfiling(true);
    long t0 = System.nanoTime();
    for (int pass = 1; pass <= passes; pass++) {
      trainer.fit(s.model, s.data, config, pass);
    }
    double totalMs = (System.nanoTime() - t0) / 1e6 / passes;
    s.model.setProfiling(false);
    List<String> lines = new ArrayList<>();
    double layersMs = 0;
    for (LayerTiming t : s.model.takeProfile()) {
      double f = t.forwardNanos() / 1e6 / passes;
      double b = t.backwardNanos() / 1e6 / passes;
      layersMs += f + b;
      lines.add(String.format(Locale.ROOT, "%-10s forward %8.2f ms  backward %8.2f ms", t.layer(), f, b));
    }
    lines.add(String.format(Locale.ROOT, "layers %.1f ms of %.1f ms per pass (rest: batching, loss,"
        + " optimiser)", layersMs, totalMs));
    return lines;
  }

  /** A model and the examples it trains on in a benchmark. */
  record Setup(Model model, Dataset data) {}

  /** The benchmark's model (seed 0) and data for {@code modelKind}. */
  static Setup setup(String modelKind) {
    Dataset train;
    try {
      train = FashionMnist.load(Split.TRAIN);
    } catch (IOException e) {
      throw new UncheckedIOException("Fashion-MNIST is needed (apt-get install dataset-fashion-mnist)", e);
    }
    return switch (modelKind) {
      case "2nn", "mlp" -> new Setup(ModelSpec.twoNN().build(train.exampleShape(), 10, 0),
          train.head(10_000));
      case "cnn" -> new Setup(ModelSpec.cnn("relu").build(train.exampleShape(), 10, 0),
          train.head(2_000));
      case "simple-cnn" -> new Setup(ModelSpec.simpleCnn("relu").build(train.exampleShape(), 10, 0),
          train.head(10_000));
      default -> throw new IllegalArgumentException(
          "modelKind must be '2nn', 'cnn' or 'simple-cnn' but was '" + modelKind + "'");
    };
  }

  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean profile = rest.remove("--profile");
    boolean ghost = rest.remove("--dp-ghost");
    Threading threading = rest.remove("--layer-threads") ? Threading.LAYERS : Threading.KERNELS;
    if (rest.size() < 2) {
      System.err.println(
          "usage: TrainBench 2nn|cnn|simple-cnn BATCH [THREADS [PASSES]] [--layer-threads] [--profile]"
              + " [--dp-ghost]");
      System.exit(2);
    }
    String kind = rest.get(0);
    int batch = Integer.parseInt(rest.get(1));
    int threads = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 2;
    int passes = rest.size() > 3 ? Integer.parseInt(rest.get(3)) : 3;
    if (ghost) {
      System.out.println(runGhostClipping(kind, batch, threads, passes, threading));
    } else if (profile) {
      profile(kind, batch, threads, passes, threading).forEach(System.out::println);
    } else {
      System.out.println(run(kind, batch, threads, passes, threading));
    }
  }
}
