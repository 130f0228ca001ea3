package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.data.Dataset;
import dev.cohort.tensor.Shape;

/** Small synthetic datasets and checks shared by the partitioner tests. */
final class Fixtures {
  private Fixtures() {}

  /** {@code perClass} examples of each of {@code classes} classes, interleaved by index. */
  static Dataset balanced(int perClass, int classes) {
    int n = perClass * classes;
    int[] labels = new int[n];
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % classes;
      x[i] = i;
    }
    return Dataset.classification("synthetic", Shape.of(1), x, labels, classes);
  }

  /** A regression dataset of {@code n} examples. */
  static Dataset regression(int n) {
    return Dataset.regression("reg", Shape.of(1), new float[n], new float[n], 1);
  }

  /** Asserts that no index is given twice and returns how many indices were given. */
  static int assertDisjoint(Partition p) {
    boolean[] seen = new boolean[p.dataset().size()];
    int total = 0;
    for (int[] client : p.indices()) {
      for (int i : client) {
        assertThat(seen[i]).as("index %d assigned twice", i).isFalse();
        seen[i] = true;
        total++;
      }
    }
    return total;
  }

  /** Asserts that every index is given to exactly one client. */
  static void assertExactCover(Partition p) {
    assertThat(assertDisjoint(p)).isEqualTo(p.dataset().size());
    assertThat(p.unassigned()).isZero();
  }
}
