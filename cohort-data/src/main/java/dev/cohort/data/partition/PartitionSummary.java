package dev.cohort.data.partition;

import dev.cohort.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link Partition} spread a dataset: per client, the number of examples and the label
 * histogram, plus aggregate statistics ({@link #stats()}) and a compact text table ({@link
 * #format()}) for run output.
 *
 * <p>A plain, immutable record of lists and numbers, so any JSON writer (or a few lines of code)
 * can render it as it is. For regression datasets {@code numClasses} is 0 and all label lists are
 * empty.
 *
 * @param dataset the dataset's name
 * @param partitioner the partitioner's {@link Partitioner#describe() description}
 * @param seed the partition seed
 * @param numClasses the number of classes, 0 for regression
 * @param unassigned the examples no client holds
 * @param globalLabelCounts the label histogram of the whole dataset
 * @param clients per-client statistics, by client index
 */
public record PartitionSummary(String dataset, String partitioner, long seed, int numClasses,
    int unassigned, List<Integer> globalLabelCounts, List<ClientStats> clients) {

  /** Clients up to which {@link #format()} shows every row. */
  public static final int FULL_TABLE_CLIENTS = 20;

  public PartitionSummary {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(partitioner, "partitioner");
    globalLabelCounts = List.copyOf(globalLabelCounts);
    clients = List.copyOf(clients);
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("a partition summary needs at least one client");
    }
  }

  /**
   * One client's share.
   *
   * @param client the client index
   * @param examples how many examples it holds
   * @param distinctLabels how many classes occur among them
   * @param labelCounts its label histogram (empty for regression)
   */
  public record ClientStats(int client, int examples, int distinctLabels, List<Integer> labelCounts) {
    public ClientStats {
      labelCounts = List.copyOf(labelCounts);
    }

    static ClientStats of(int client, int[] counts, int examples) {
      int distinct = 0;
      List<Integer> list = new ArrayList<>(counts.length);
      for (int c : counts) {
        distinct += c > 0 ? 1 : 0;
        list.add(c);
      }
      return new ClientStats(client, examples, distinct, list);
    }
  }

  /**
   * Aggregates over clients.
   *
   * @param clients the number of clients
   * @param totalExamples examples held by some client
   * @param minExamples the smallest client
   * @param medianExamples the median client size
   * @param maxExamples the largest client
   * @param meanDistinctLabels the mean number of classes per client (0 for regression)
   * @param labelSkew the mean total-variation distance between a client's label distribution and
   *     the dataset's: 0 when every client looks like the whole, 1 when clients share no classes
   *     with it (0 for regression)
   */
  public record Stats(int clients, long totalExamples, int minExamples, double medianExamples,
      int maxExamples, double meanDistinctLabels, double labelSkew) {}

  static PartitionSummary of(Partition partition) {
    Dataset d = partition.dataset();
    int k = d.isClassification() ? d.numClasses() : 0;
    int[] labels = k > 0 ? d.labels() : null;
    List<ClientStats> stats = new ArrayList<>(partition.numClients());
    for (int c = 0; c < partition.numClients(); c++) {
      int[] idx = partition.indices(c);
      int[] counts = new int[k];
      if (labels != null) {
        for (int i : idx) {
          counts[labels[i]]++;
        }
      }
      stats.add(ClientStats.of(c, counts, idx.length));
    }
    List<Integer> global = new ArrayList<>();
    if (k > 0) {
      for (int count : d.labelHistogram()) {
        global.add(count);
      }
    }
    return new PartitionSummary(d.name(), partition.partitioner().describe(), partition.seed(), k,
        partition.unassigned(), global, stats);
  }

  /** Aggregate statistics over the clients. */
  public Stats stats() {
    int n = clients.size();
    int[] sizes = new int[n];
    long total = 0;
    double distinct = 0;
    double skew = 0;
    long globalTotal = 0;
    for (int g : globalLabelCounts) {
      globalTotal += g;
    }
    for (int c = 0; c < n; c++) {
      ClientStats s = clients.get(c);
      sizes[c] = s.examples();
      total += s.examples();
      distinct += s.distinctLabels();
      if (numClasses > 0 && s.examples() > 0 && globalTotal > 0) {
        double tv = 0;
        for (int y = 0; y < numClasses; y++) {
          tv += Math.abs((double) s.labelCounts().get(y) / s.examples()
              - (double) globalLabelCounts.get(y) / globalTotal);
        }
        skew += tv / 2;
      }
    }
    Arrays.sort(sizes);
    double median = n % 2 == 1 ? sizes[n / 2] : (sizes[n / 2 - 1] + sizes[n / 2]) / 2.0;
    return new Stats(n, total, sizes[0], median, sizes[n - 1], distinct / n, skew / n);
  }

  /**
   * A table of every client when there are at most {@value #FULL_TABLE_CLIENTS}, otherwise the
   * first and last five, followed by the {@link #stats()} line.
   */
  public String format() {
    return format(clients.size() <= FULL_TABLE_CLIENTS ? clients.size() : 10);
  }

  /** Like {@link #format()}, showing at most {@code maxRows} client rows (first and last halves). */
  public String format(int maxRows) {
    if (maxRows < 0) {
      throw new IllegalArgumentException("maxRows must be >= 0 but was " + maxRows);
    }
    Stats st = stats();
    StringBuilder sb = new StringBuilder();
    sb.append(dataset).append(": ").append(partitioner).append(", seed ").append(seed).append(", ")
        .append(st.clients()).append(st.clients() == 1 ? " client, " : " clients, ")
        .append(st.totalExamples()).append(" examples");
    if (unassigned > 0) {
      sb.append(" (").append(unassigned).append(" unassigned)");
    }
    sb.append('\n');
    boolean full = numClasses > 0 && numClasses <= 12;
    int countWidth = 1;
    for (ClientStats s : clients) {
      for (int v : s.labelCounts()) {
        countWidth = Math.max(countWidth, Integer.toString(v).length());
      }
    }
    sb.append("client  examples");
    if (numClasses > 0) {
      sb.append("  labels  ").append(full ? "per-class counts 0.." + (numClasses - 1) : "largest classes (class:count)");
    }
    sb.append('\n');
    int n = clients.size();
    int head = Math.min(n, (maxRows + 1) / 2);
    int tail = Math.min(n - head, maxRows / 2);
    for (int c = 0; c < n; c++) {
      if (c == head && n - head > tail) {
        int skipped = n - head - tail;
        sb.append("   ... ").append(skipped).append(skipped == 1 ? " more client" : " more clients").append('\n');
        c = n - tail - 1;
        continue;
      }
      row(sb, clients.get(c), full, countWidth);
    }
    sb.append(String.format(Locale.ROOT, "examples per client: min %d, median %s, max %d",
        st.minExamples(), formatMedian(st.medianExamples()), st.maxExamples()));
    if (numClasses > 0) {
      sb.append(String.format(Locale.ROOT, "; distinct labels per client: mean %.2f; label skew %.3f"
          + " (mean TV distance to the dataset's label distribution)", st.meanDistinctLabels(), st.labelSkew()));
    }
    return sb.append('\n').toString();
  }

  private void row(StringBuilder sb, ClientStats s, boolean full, int countWidth) {
    sb.append(String.format(Locale.ROOT, "%6d  %8d", s.client(), s.examples()));
    if (numClasses == 0) {
      sb.append('\n');
      return;
    }
    sb.append(String.format(Locale.ROOT, "  %6d  ", s.distinctLabels()));
    List<Integer> counts = s.labelCounts();
    if (full) {
      sb.append('[');
      for (int y = 0; y < counts.size(); y++) {
        sb.append(String.format(Locale.ROOT, y == 0 ? "%" + countWidth + "d" : " %" + countWidth + "d", counts.get(y)));
      }
      sb.append(']');
    } else {
      Integer[] order = new Integer[counts.size()];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> Integer.compare(counts.get(b), counts.get(a)));
      for (int j = 0; j < Math.min(5, order.length) && counts.get(order[j]) > 0; j++) {
        sb.append(j == 0 ? "" : " ").append(order[j]).append(':').append(counts.get(order[j]));
      }
    }
    sb.append('\n');
  }

  private static String formatMedian(double m) {
    return m == Math.rint(m) ? Long.toString((long) m) : String.format(Locale.ROOT, "%.1f", m);
  }

  @Override
  public String toString() {
    return format();
  }
}
