package dev.cohort.data.partition;

import dev.cohort.data.Dataset;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A seeded rule that splits a dataset among simulated clients: IID or one of the non-IID schemes
 * of NIID-Bench (Li, Diao, Chen and He, "Federated Learning on Non-IID Data Silos: An Experimental
 * Study", ICDE 2022) and McMahan et al. ("Communication-Efficient Learning of Deep Networks from
 * Decentralized Data", AISTATS 2017).
 *
 * <pre>{@code
 * Partition p = Partitioner.dirichlet(0.5).partition(train, 100, 42);
 * List<Dataset> clients = p.clients();
 * System.out.println(p.summary().format());
 * }</pre>
 *
 * <p>The same partitioner, dataset, client count and seed always give the same partition (the
 * random stream is an {@code L64X128MixRandom}, whose algorithm is fixed by the JDK
 * specification). Every example goes to at most one client, every client gets at least one
 * example, and each client's indices are in ascending order. Only {@link LabelQuantity} can leave
 * examples out, of classes that no client was given. Implementations are immutable records and
 * thread-safe.
 *
 * <p>Which schemes need class labels: {@link Dirichlet}, {@link LabelQuantity} and {@link Shards}
 * reject regression datasets; {@link Iid} and {@link QuantitySkew} accept both.
 */
public sealed interface Partitioner permits Iid, Dirichlet, LabelQuantity, Shards, QuantitySkew, Assigned {
  /** The default fewest examples per client of {@link Dirichlet} and {@link QuantitySkew}. */
  int DEFAULT_MIN_SIZE = 10;

  /** The default concentration of {@link Dirichlet} and {@link QuantitySkew} (NIID-Bench's 0.5). */
  double DEFAULT_ALPHA = 0.5;

  /**
   * Splits {@code dataset} among {@code clients} clients.
   *
   * @throws IllegalArgumentException if {@code clients < 1}, there are more clients than
   *     examples, the dataset has no labels but this scheme needs them, or the parameters cannot
   *     give every client an example (the message says which)
   */
  default Partition partition(Dataset dataset, int clients, long seed) {
    return Partition.create(this, dataset, clients, seed);
  }

  /**
   * The configuration name: "iid", "dirichlet", "label-quantity", "shards", "quantity-skew", or
   * "file" for an {@link Assigned} partition.
   */
  String name();

  /** The parameters by configuration key, such as {@code {alpha=0.5, min-size=10}}. */
  Map<String, Object> parameters();

  /** A one-line description such as {@code dirichlet(alpha=0.5, min-size=10)}. */
  default String describe() {
    StringBuilder sb = new StringBuilder(name());
    Map<String, Object> params = parameters();
    if (!params.isEmpty()) {
      sb.append('(');
      params.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(k).append('=').append(v));
      sb.append(')');
    }
    return sb.toString();
  }

  /** The partition listed in {@code file}, one line of example indices per client ({@link PartitionFile}). */
  static Partitioner fromFile(java.nio.file.Path file) throws java.io.IOException {
    return PartitionFile.read(file);
  }

  /** Shuffle, then split into near-equal parts. */
  static Partitioner iid() {
    return new Iid();
  }

  /** Dirichlet label skew with concentration {@code alpha} and {@link #DEFAULT_MIN_SIZE}. */
  static Partitioner dirichlet(double alpha) {
    return new Dirichlet(alpha, DEFAULT_MIN_SIZE);
  }

  /** Dirichlet label skew, resampling until every client has at least {@code minSize} examples. */
  static Partitioner dirichlet(double alpha, int minSize) {
    return new Dirichlet(alpha, minSize);
  }

  /** "#C=k" label skew: every client holds {@code k} distinct classes. */
  static Partitioner labelQuantity(int k) {
    return new LabelQuantity(k);
  }

  /** Pathological non-IID: sort by label, cut into shards, deal {@code shardsPerClient} to each. */
  static Partitioner shards(int shardsPerClient) {
    return new Shards(shardsPerClient);
  }

  /** Client sizes from Dirichlet({@code alpha}), labels IID, and {@link #DEFAULT_MIN_SIZE}. */
  static Partitioner quantitySkew(double alpha) {
    return new QuantitySkew(alpha, DEFAULT_MIN_SIZE);
  }

  /** Quantity skew, resampling until every client has at least {@code minSize} examples. */
  static Partitioner quantitySkew(double alpha, int minSize) {
    return new QuantitySkew(alpha, minSize);
  }

  /** {@link #parse(String, Map)} with every parameter at its default. */
  static Partitioner parse(String name) {
    return parse(name, Map.of());
  }

  /**
   * The partitioner a configuration names. Names and keys (all optional):
   *
   * <ul>
   *   <li>{@code iid}: none
   *   <li>{@code dirichlet}: {@code alpha} (default 0.5), {@code min-size} (default 10)
   *   <li>{@code label-quantity}: {@code k} (default 2)
   *   <li>{@code shards}: {@code shards-per-client} (default 2)
   *   <li>{@code quantity-skew}: {@code alpha} (default 0.5), {@code min-size} (default 10)
   * </ul>
   *
   * <p>Values may be numbers or strings holding numbers. An unknown name or key is an error, so
   * a misspelt key is never silently ignored. {@code parse(p.name(), p.parameters())} equals
   * {@code p}.
   *
   * @throws IllegalArgumentException naming the bad name, key or value
   */
  static Partitioner parse(String name, Map<String, ?> params) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(params, "params");
    String n = name.trim().toLowerCase(Locale.ROOT);
    ConfigParams p = new ConfigParams(n, params);
    Partitioner result = switch (n) {
      case "iid" -> {
        p.allow();
        yield iid();
      }
      case "dirichlet" -> {
        p.allow("alpha", "min-size");
        yield dirichlet(p.real("alpha", DEFAULT_ALPHA), p.integer("min-size", DEFAULT_MIN_SIZE));
      }
      case "label-quantity" -> {
        p.allow("k");
        yield labelQuantity(p.integer("k", 2));
      }
      case "shards" -> {
        p.allow("shards-per-client");
        yield shards(p.integer("shards-per-client", 2));
      }
      case "quantity-skew" -> {
        p.allow("alpha", "min-size");
        yield quantitySkew(p.real("alpha", DEFAULT_ALPHA), p.integer("min-size", DEFAULT_MIN_SIZE));
      }
      case "file" -> throw new IllegalArgumentException("a file partition is read from its file with "
          + "Partitioner.fromFile, not parsed from parameters");
      default -> throw new IllegalArgumentException("unknown partitioner '" + name
          + "'; expected one of iid, dirichlet, label-quantity, shards, quantity-skew");
    };
    return result;
  }
}
