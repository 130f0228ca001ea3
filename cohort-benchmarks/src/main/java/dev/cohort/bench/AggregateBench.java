package dev.cohort.bench;

import dev.cohort.core.ClientId;
import dev.cohort.core.aggregate.Accumulator;
import dev.cohort.core.aggregate.AggregationProcess;
import dev.cohort.core.aggregate.Aggregators;
import dev.cohort.core.aggregate.Contribution;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.kernel.Kernels;
import java.util.SplittableRandom;

/**
 * Measures FedAvg aggregation bandwidth: {@code clients} updates of {@code params} floats folded
 * through the real weighted-mean accumulator the coordinator uses, in bytes of client updates read
 * per second. The ceiling is measured in the same run: a copy of the same bytes into as many
 * fresh arrays with {@code System.arraycopy}, counted as STREAM counts copies (bytes read plus
 * bytes written), which is the stricter of the two usual conventions. A pure read of the same
 * updates (a vectorised sum) is measured too: aggregation is a read stream, so that is the
 * figure it is closest to in kind.
 */
public final class AggregateBench {
  private AggregateBench() {}

  /**
   * @param gigabytesPerSecond median aggregation bandwidth, GB (1e9 bytes) of updates read per second
   * @param copyGigabytesPerSecond median copy bandwidth (read + written) over the same bytes
   * @param ratio aggregation over copy bandwidth
   * @param medianSeconds median seconds to aggregate one round
   * @param readGigabytesPerSecond median bandwidth of a pure read of the same updates
   */
  public record Result(int clients, int params, double gigabytesPerSecond, double copyGigabytesPerSecond,
      double ratio, double medianSeconds, double readGigabytesPerSecond) {}

  /**
   * Runs {@code repeats} timed aggregations and copies after one warm-up each, aggregating on
   * {@code threads} threads; the copy ceiling is the faster of a one-thread and a
   * {@code threads}-thread copy.
   */
  public static Result run(int clients, int params, int repeats, int threads) {
    if (clients < 1 || params < 1 || repeats < 1) {
      throw new IllegalArgumentException("clients, params and repeats must be >= 1 but were "
          + clients + ", " + params + ", " + repeats);
    }
    ParameterLayout layout = ParameterLayout.builder().add("w", Shape.of(params)).build();
    ParameterSet[] updates = new ParameterSet[clients];
    SplittableRandom rng = new SplittableRandom(1);
    for (int c = 0; c < clients; c++) {
      float[] d = new float[params];
      for (int i = 0; i < params; i++) {
        d[i] = (float) rng.nextDouble(-1, 1);
      }
      updates[c] = ParameterSet.wrap(layout, d);
    }
    Kernels.setIntraOpThreads(threads);
    AggregationProcess process = Aggregators.weightedMean().create(layout);
    float[][] copyTargets = new float[clients][params]; // a real large copy: 400 MB in, 400 MB out
    double[] agg = new double[repeats];
    double[] copy = new double[repeats];
    double[] read = new double[repeats];
    ReadStream.warmUp(updates[0]);
    double sink = 0;
    for (int r = -1; r < repeats; r++) {
      long t0 = System.nanoTime();
      Accumulator acc = process.begin(process.initialState());
      for (int c = 0; c < clients; c++) {
        acc.add(new Contribution(new ClientId("c" + c), updates[c], 1 + c % 7));
      }
      sink += acc.finish().result().data()[0];
      long t1 = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        System.arraycopy(updates[c].data(), 0, copyTargets[c], 0, params);
        sink += copyTargets[c][c % params];
      }
      long t2 = System.nanoTime();
      parallelCopy(updates, copyTargets, threads);
      long t3 = System.nanoTime();
      sink += ReadStream.sum(updates, 1);
      long t4 = System.nanoTime();
      sink += threads == 1 ? 0 : ReadStream.sum(updates, threads);
      long t5 = System.nanoTime();
      if (r >= 0) {
        agg[r] = (t1 - t0) / 1e9;
        copy[r] = (threads == 1 ? t2 - t1 : Math.min(t2 - t1, t3 - t2)) / 1e9;
        read[r] = (threads == 1 ? t4 - t3 : Math.min(t4 - t3, t5 - t4)) / 1e9;
      }
    }
    Kernels.setIntraOpThreads(1);
    if (sink == 42.4242) {
      System.err.print(""); // keeps the work observable to the JIT
    }
    double bytes = (double) clients * params * Float.BYTES;
    double aggSeconds = Medians.median(agg);
    double aggGbs = bytes / aggSeconds / 1e9;
    double copyGbs = 2 * bytes / Medians.median(copy) / 1e9;
    double readGbs = bytes / Medians.median(read) / 1e9;
    return new Result(clients, params, aggGbs, copyGbs, aggGbs / copyGbs, aggSeconds, readGbs);
  }

  /** Copies with {@code threads} threads, each taking a contiguous share of every array. */
  private static void parallelCopy(ParameterSet[] from, float[][] to, int threads) {
    if (threads == 1) {
      return;
    }
    Workers.run(threads, part -> {
      for (int c = 0; c < from.length; c++) {
        int n = to[c].length;
        int lo = (int) ((long) n * part / threads);
        int hi = (int) ((long) n * (part + 1) / threads);
        System.arraycopy(from[c].data(), lo, to[c], lo, hi - lo);
      }
    });
  }
}
