package dev.cohort.bench;

import dev.cohort.tensor.ParameterSet;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** A pure read stream over client updates: their vectorised sum, split over threads by range. */
final class ReadStream {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private ReadStream() {}

  /** Runs the read loop until the JIT has compiled it, so the first timed read is not interpreted. */
  static void warmUp(ParameterSet update) {
    ParameterSet[] one = {update};
    for (int i = 0; i < 200; i++) {
      sumPart(one, 0, 1);
    }
  }

  /** The sum of every element of every update, read by {@code threads} threads. */
  static double sum(ParameterSet[] updates, int threads) {
    double[] parts = new double[threads];
    Workers.run(threads, part -> parts[part] = sumPart(updates, part, threads));
    double total = 0;
    for (double p : parts) {
      total += p;
    }
    return total;
  }

  private static double sumPart(ParameterSet[] updates, int part, int threads) {
    FloatVector acc = FloatVector.zero(S);
    for (ParameterSet u : updates) {
      float[] x = u.data();
      int lo = (int) ((long) x.length * part / threads);
      int hi = (int) ((long) x.length * (part + 1) / threads);
      int bound = lo + S.loopBound(hi - lo);
      for (int i = lo; i < bound; i += S.length()) {
        acc = acc.add(FloatVector.fromArray(S, x, i));
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }
}
