package dev.cohort.bench;

import dev.cohort.data.Dataset;
import dev.cohort.privacy.noise.AesCtrRandom;
import dev.cohort.privacy.sgd.DpSgdConfig;
import dev.cohort.privacy.sgd.DpSgdTrainer;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.train.LocalTrainer;
import dev.cohort.train.Model;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.optim.OptimizerSpec;

/**
 * The cost of differential privacy in local training: the real {@link DpSgdTrainer} (Poisson
 * lots, per-example norms, weighted backward pass, lattice Gaussian noise from ChaCha20) against
 * plain {@link LocalTrainer} SGD on the same model, data and (expected) batch size, alternating the
 * two pass by pass so that both see the same machine load, on the same number of cores. Plain SGD
 * gives all of them to its matrix products; DP-SGD is timed both with one core kept for drawing
 * noise and with all of them computing, and the faster is reported. Medians of each.
 */
public final class DpSgdBench {
  private DpSgdBench() {}

  /**
   * Plain and private throughput, and {@code overhead = plain / private} (time ratio);
   * {@code dpKernelThreads} is the better of the two DP-SGD configurations tried.
   */
  public record Result(String model, int batchSize, int threads, double plainSamplesPerSecond,
      double dpSamplesPerSecond, double overhead, int dpKernelThreads) {}

  public static Result run(String modelKind, int batchSize, int threads, int passes) {
    TrainBench.Setup plainSetup = TrainBench.setup(modelKind);
    Model plainModel = plainSetup.model();
    Model dpModel = TrainBench.setup(modelKind).model();
    Dataset data = plainSetup.data();
    LocalTrainer trainer = new LocalTrainer();
    TrainConfig plain = TrainConfig.of(1, batchSize, OptimizerSpec.sgd(0.05));
    DpSgdConfig dp = new DpSgdConfig(1.0, 1.0, batchSize, 1, Math.max(batchSize * 2, 256), OptimizerSpec.sgd(0.05));
    DpSgdTrainer dpTrainer = new DpSgdTrainer();
    AesCtrRandom sampling = AesCtrRandom.secure(); // one generator per thread: noise is drawn on another
    AesCtrRandom noise = AesCtrRandom.secure();
    double[] plainRates = new double[passes];
    double[] dpRates = new double[passes];
    double[] dpAllRates = new double[passes];
    for (int pass = -1; pass < passes; pass++) {
      Kernels.setIntraOpThreads(threads);
      long t0 = System.nanoTime();
      trainer.fit(plainModel, data, plain, pass);
      long t1 = System.nanoTime();
      // The same cores for DP-SGD, used two ways: one core draws the next step's noise while the
      // rest compute; or every core computes and the noise thread shares them.
      Kernels.setIntraOpThreads(Math.max(1, threads - 1));
      DpSgdTrainer.Result r = dpTrainer.fit(dpModel, data, dp, sampling, noise);
      long t2 = System.nanoTime();
      Kernels.setIntraOpThreads(threads);
      DpSgdTrainer.Result r2 = dpTrainer.fit(dpModel, data, dp, sampling, noise);
      long t3 = System.nanoTime();
      if (pass >= 0) {
        plainRates[pass] = data.size() / ((t1 - t0) / 1e9);
        dpRates[pass] = r.examplesSeen() / ((t2 - t1) / 1e9);
        dpAllRates[pass] = r2.examplesSeen() / ((t3 - t2) / 1e9);
      }
    }
    double p = Medians.median(plainRates);
    double d1 = Medians.median(dpRates);
    double d2 = Medians.median(dpAllRates);
    double d = Math.max(d1, d2);
    return new Result(modelKind, batchSize, threads, p, d, p / d, d1 >= d2 ? Math.max(1, threads - 1) : threads);
  }
}
