package dev.cohort.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code acc += w[0] * x[0] + ... + w[k-1] * x[k-1]} over whole arrays, folding up to four inputs
 * per pass. Folding several updates in one pass reads and writes the accumulator once instead of
 * once per input, which is what lets aggregation approach the memory bandwidth of streaming the
 * inputs alone. Large arrays are split across {@link Kernels#intraOpThreads()} threads.
 * Stateless and thread-safe.
 */
public final class WeightedSum {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** Inputs folded per pass over the accumulator. */
  public static final int WIDTH = 8;

  /** Accumulator elements folded at a time: small enough to stay in the L1 cache across inputs. */
  private static final int BLOCK = 2048;

  /** Below this many elements a second thread costs more than it saves. */
  private static final int PARALLEL_THRESHOLD = 1 << 18;

  private WeightedSum() {}

  /**
   * Adds the first {@code count} inputs, weighted, to {@code acc}. Every input must have
   * {@code acc.length} elements; {@code count} may be any non-negative number (inputs are taken
   * {@link #WIDTH} at a time).
   */
  public static void accumulate(float[] acc, float[][] xs, float[] ws, int count) {
    if (count < 0 || count > xs.length || count > ws.length) {
      throw new IllegalArgumentException("count must be in [0, " + Math.min(xs.length, ws.length)
          + "] but was " + count);
    }
    for (int i = 0; i < count; i++) {
      if (xs[i].length != acc.length) {
        throw new IllegalArgumentException("input " + i + " has " + xs[i].length
            + " elements but the accumulator has " + acc.length);
      }
    }
    int threads = acc.length >= PARALLEL_THRESHOLD ? Kernels.intraOpThreads() : 1;
    if (threads == 1) {
      accumulateRange(acc, xs, ws, count, 0, acc.length);
      return;
    }
    int chunk = (acc.length / threads + 63) & ~63;
    Kernels.intraOpPool().run(threads, t -> {
      int from = Math.min(acc.length, t * chunk);
      int to = t == threads - 1 ? acc.length : Math.min(acc.length, from + chunk);
      accumulateRange(acc, xs, ws, count, from, to);
    });
  }

  private static void accumulateRange(float[] acc, float[][] xs, float[] ws, int count, int from, int to) {
    for (int lo = from; lo < to; lo += BLOCK) {
      int hi = Math.min(to, lo + BLOCK);
      accumulateBlock(acc, xs, ws, count, lo, hi);
    }
  }

  private static void accumulateBlock(float[] acc, float[][] xs, float[] ws, int count, int from, int to) {
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      fold4(acc, xs[i], ws[i], xs[i + 1], ws[i + 1], xs[i + 2], ws[i + 2], xs[i + 3], ws[i + 3], from, to);
    }
    if (count - i == 3) {
      fold4(acc, xs[i], ws[i], xs[i + 1], ws[i + 1], xs[i + 2], ws[i + 2], xs[i + 2], 0f, from, to);
    } else if (count - i == 2) {
      fold2(acc, xs[i], ws[i], xs[i + 1], ws[i + 1], from, to);
    } else if (count - i == 1 && to > from) {
      VectorOps.axpy(ws[i], xs[i], from, acc, from, to - from);
    }
  }

  private static void fold4(float[] acc, float[] a, float wa, float[] b, float wb, float[] c, float wc,
      float[] d, float wd, int from, int to) {
    FloatVector va = FloatVector.broadcast(S, wa);
    FloatVector vb = FloatVector.broadcast(S, wb);
    FloatVector vc = FloatVector.broadcast(S, wc);
    FloatVector vd = FloatVector.broadcast(S, wd);
    int bound = from + S.loopBound(to - from);
    int j = from;
    for (; j < bound; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, acc, j);
      v = FloatVector.fromArray(S, a, j).fma(va, v);
      v = FloatVector.fromArray(S, b, j).fma(vb, v);
      v = FloatVector.fromArray(S, c, j).fma(vc, v);
      v = FloatVector.fromArray(S, d, j).fma(vd, v);
      v.intoArray(acc, j);
    }
    for (; j < to; j++) {
      acc[j] += wa * a[j] + wb * b[j] + wc * c[j] + wd * d[j];
    }
  }

  private static void fold2(float[] acc, float[] a, float wa, float[] b, float wb, int from, int to) {
    FloatVector va = FloatVector.broadcast(S, wa);
    FloatVector vb = FloatVector.broadcast(S, wb);
    int bound = from + S.loopBound(to - from);
    int j = from;
    for (; j < bound; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, acc, j);
      v = FloatVector.fromArray(S, a, j).fma(va, v);
      v = FloatVector.fromArray(S, b, j).fma(vb, v);
      v.intoArray(acc, j);
    }
    for (; j < to; j++) {
      acc[j] += wa * a[j] + wb * b[j];
    }
  }
}
