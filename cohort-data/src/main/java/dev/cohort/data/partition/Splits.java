package dev.cohort.data.partition;

import java.util.Arrays;

/** Index bookkeeping shared by the partitioners. */
final class Splits {
  private Splits() {}

  /**
   * Cuts {@code a} into {@code parts} consecutive pieces whose sizes differ by at most one, the
   * larger ones first (NumPy's {@code array_split}).
   */
  static int[][] even(int[] a, int parts) {
    int[][] out = new int[parts][];
    int base = a.length / parts;
    int extra = a.length % parts;
    int from = 0;
    for (int p = 0; p < parts; p++) {
      int len = base + (p < extra ? 1 : 0);
      out[p] = Arrays.copyOfRange(a, from, from + len);
      from += len;
    }
    return out;
  }

  /**
   * Cuts {@code a} at {@code floor(cumsum(proportions) * a.length)}, as NIID-Bench does: piece
   * {@code j} gets about {@code proportions[j] * a.length} elements and the last one the rest.
   * The proportions must be non-negative and sum to 1 (up to rounding).
   */
  static int[][] proportional(int[] a, double[] proportions) {
    int[] sizes = sizes(a.length, proportions);
    int[][] out = new int[sizes.length][];
    int from = 0;
    for (int p = 0; p < sizes.length; p++) {
      out[p] = Arrays.copyOfRange(a, from, from + sizes[p]);
      from += sizes[p];
    }
    return out;
  }

  /** The piece sizes {@link #proportional} would cut {@code n} elements into. */
  static int[] sizes(int n, double[] proportions) {
    int parts = proportions.length;
    int[] out = new int[parts];
    double cumulative = 0;
    int from = 0;
    for (int p = 0; p < parts; p++) {
      int to;
      if (p == parts - 1) {
        to = n;
      } else {
        cumulative += proportions[p];
        to = Math.clamp((long) Math.floor(cumulative * n), from, n);
      }
      out[p] = to - from;
      from = to;
    }
    return out;
  }

  /** The indices of each class, ascending: {@code result[c]} lists every i with labels[i] == c. */
  static int[][] byClass(int[] labels, int numClasses) {
    int[] counts = new int[numClasses];
    for (int y : labels) {
      counts[y]++;
    }
    int[][] out = new int[numClasses][];
    for (int c = 0; c < numClasses; c++) {
      out[c] = new int[counts[c]];
    }
    int[] fill = new int[numClasses];
    for (int i = 0; i < labels.length; i++) {
      out[labels[i]][fill[labels[i]]++] = i;
    }
    return out;
  }

  /** A growable int array. */
  static final class IntList {
    private int[] data = new int[16];
    private int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = v;
    }

    void addAll(int[] values) {
      if (size + values.length > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + values.length));
      }
      System.arraycopy(values, 0, data, size, values.length);
      size += values.length;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
