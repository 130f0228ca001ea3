package dev.cohort.data.partition;

import dev.cohort.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The result of {@link Partitioner#partition}: which examples of a dataset each client holds,
 * with the partitioner and seed that produced it (for the run's provenance).
 *
 * <p>Immutable and thread-safe. Index arrays are copied on the way out, and {@link #client(int)}
 * returns a view ({@link Dataset#subset}) that shares the dataset's features.
 */
public final class Partition {
  private static final String ALGORITHM = "L64X128MixRandom";

  private final Dataset dataset;
  private final Partitioner partitioner;
  private final long seed;
  private final int[][] clients;
  private final int unassigned;

  private Partition(Dataset dataset, Partitioner partitioner, long seed, int[][] clients, int unassigned) {
    this.dataset = dataset;
    this.partitioner = partitioner;
    this.seed = seed;
    this.clients = clients;
    this.unassigned = unassigned;
  }

  static Partition create(Partitioner partitioner, Dataset dataset, int clients, long seed) {
    Objects.requireNonNull(dataset, "dataset");
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1 but was " + clients);
    }
    int n = dataset.size();
    if (clients > n) {
      throw new IllegalArgumentException("clients must be <= the number of examples (" + n + " in "
          + dataset.name() + ") but was " + clients);
    }
    RandomGenerator rng = RandomGeneratorFactory.of(ALGORITHM).create(seed);
    int[][] parts = switch (partitioner) {
      case Iid iid -> iid.assign(n, clients, rng);
      case QuantitySkew q -> q.assign(n, clients, rng);
      case Dirichlet d -> d.assign(labels(dataset, d), dataset.numClasses(), clients, rng);
      case LabelQuantity l -> l.assign(labels(dataset, l), dataset.numClasses(), clients, rng);
      case Shards s -> s.assign(labels(dataset, s), dataset.numClasses(), clients, rng);
      case Assigned a -> a.assign(n, clients);
    };
    boolean[] seen = new boolean[n];
    int assigned = 0;
    for (int c = 0; c < clients; c++) {
      int[] mine = parts[c];
      if (mine.length == 0) {
        throw new IllegalArgumentException(partitioner.describe() + " gave client " + c + " of " + clients
            + " no examples (" + n + " examples in " + dataset.name() + "); use fewer clients");
      }
      Arrays.sort(mine);
      for (int i : mine) {
        if (seen[i]) {
          throw new IllegalStateException(partitioner.describe() + " assigned example " + i + " twice");
        }
        seen[i] = true;
      }
      assigned += mine.length;
    }
    return new Partition(dataset, partitioner, seed, parts, n - assigned);
  }

  private static int[] labels(Dataset dataset, Partitioner p) {
    if (!dataset.isClassification()) {
      throw new IllegalArgumentException(p.describe() + " needs class labels but " + dataset.name()
          + " is a regression dataset; use iid or quantity-skew");
    }
    return dataset.labels();
  }

  /** The dataset that was partitioned. */
  public Dataset dataset() {
    return dataset;
  }

  public Partitioner partitioner() {
    return partitioner;
  }

  public long seed() {
    return seed;
  }

  /** The number of clients. */
  public int numClients() {
    return clients.length;
  }

  /** The number of examples client {@code client} holds. */
  public int size(int client) {
    return clients[Objects.checkIndex(client, clients.length)].length;
  }

  /** The dataset indices of client {@code client}, ascending (a copy). */
  public int[] indices(int client) {
    return clients[Objects.checkIndex(client, clients.length)].clone();
  }

  /** Every client's indices (a deep copy). */
  public int[][] indices() {
    int[][] out = new int[clients.length][];
    for (int c = 0; c < clients.length; c++) {
      out[c] = clients[c].clone();
    }
    return out;
  }

  /** The examples no client holds (non-zero only for {@link LabelQuantity}). */
  public int unassigned() {
    return unassigned;
  }

  /** Client {@code client}'s examples as a view named like "fashion-mnist/train/client-07". */
  public Dataset client(int client) {
    Objects.checkIndex(client, clients.length);
    int width = Integer.toString(clients.length - 1).length();
    String id = String.format("%0" + width + "d", client);
    return dataset.subset(clients[client]).named(dataset.name() + "/client-" + id);
  }

  /** Every client's view, by client index. */
  public List<Dataset> clients() {
    List<Dataset> out = new ArrayList<>(clients.length);
    for (int c = 0; c < clients.length; c++) {
      out.add(client(c));
    }
    return List.copyOf(out);
  }

  /** Per-client counts and label histograms. */
  public PartitionSummary summary() {
    return PartitionSummary.of(this);
  }

  @Override
  public String toString() {
    return "Partition[" + dataset.name() + ", " + partitioner.describe() + ", seed " + seed + ", "
        + clients.length + " clients]";
  }
}
