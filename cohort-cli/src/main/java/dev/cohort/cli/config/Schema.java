package dev.cohort.cli.config;

import dev.cohort.cli.config.Setting.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key a Cohort TOML file may contain, with its type, default and allowed values. Unknown
 * sections and keys are errors, so a typo never silently falls back to a default.
 */
public final class Schema {
  private final Map<String, Map<String, Setting>> sections;

  private Schema(List<Setting> settings) {
    Map<String, Map<String, Setting>> m = new LinkedHashMap<>();
    for (Setting s : settings) {
      m.computeIfAbsent(s.section(), k -> new LinkedHashMap<>()).put(s.key(), s);
    }
    this.sections = m;
  }

  /** The schema of {@code cohort sim} configs. */
  public static Schema simulation() {
    List<Setting> s = new ArrayList<>();
    // [data]
    s.add(choice("data", "dataset", "fashion-mnist", "what to train on",
        "fashion-mnist", "csv", "synthetic"));
    s.add(str("data", "path", null, "dataset directory (fashion-mnist) or training CSV file (csv)"));
    s.add(choice("data", "pixels", "standardized",
        "Fashion-MNIST inputs: standardized ((x/255 - 0.2860)/0.3530) or unit (x/255, as ToTensor())",
        "standardized", "unit"));
    s.add(str("data", "test_path", null, "test CSV file (csv only)"));
    s.add(str("data", "label_column", "label", "the CSV column holding the label"));
    s.add(choice("data", "partition", "iid", "how examples are split among clients",
        "iid", "dirichlet", "label-quantity", "shards", "quantity-skew", "file"));
    s.add(str("data", "partition_file", null,
        "with partition = \"file\": one line of training-example indices per client"));
    s.add(num("data", "alpha", 0.5, 0.0, null, true, "Dirichlet concentration (dirichlet, quantity-skew)"));
    s.add(integer("data", "classes_per_client", 2, 1, null, "classes per client (label-quantity, #C=k)"));
    s.add(integer("data", "shards_per_client", 2, 1, null, "label-sorted shards per client (shards)"));
    s.add(integer("data", "clients", 10, 1, 1_000_000, "number of data holders"));
    s.add(integer("data", "seed", 0, 0, null, "seed of partitioning, initialisation, sampling and training"));
    s.add(integer("data", "train_limit", 0, 0, null, "use only the first N training examples (0 = all)"));
    s.add(integer("data", "test_limit", 0, 0, null, "use only the first N test examples (0 = all)"));
    // [model]
    s.add(choice("model", "kind", "mlp", "model architecture",
        "logistic", "linear", "mlp", "cnn", "simple-cnn"));
    s.add(new Setting("model", "hidden", Type.INT_LIST, List.of(200, 200), 1.0, null, false, List.of(),
        "hidden layer sizes (mlp)"));
    s.add(choice("model", "activation", "relu", "hidden activation", "relu", "tanh"));
    // [train]
    s.add(integer("train", "epochs", 1, 1, 10_000, "local epochs per round"));
    s.add(integer("train", "batch_size", 32, 1, 1_000_000, "local mini-batch size"));
    s.add(choice("train", "optimizer", "sgd", "local optimiser", "sgd", "adam"));
    s.add(num("train", "learning_rate", 0.05, 0.0, null, true, "local learning rate"));
    s.add(num("train", "momentum", 0.0, 0.0, 0.9999, false, "SGD momentum"));
    s.add(num("train", "weight_decay", 0.0, 0.0, null, false, "L2 weight decay"));
    // [federation]
    s.add(integer("federation", "rounds", 10, 1, 1_000_000, "number of rounds"));
    s.add(num("federation", "fraction", 1.0, 0.0, 1.0, true, "share of clients sampled per round"));
    s.add(integer("federation", "min_clients", 1, 1, null, "fewest clients per round"));
    s.add(num("federation", "fraction_evaluate", 0.0, 0.0, 1.0, false,
        "share of clients that evaluate each new model on their own data (0 = none)"));
    s.add(choice("federation", "strategy", "fedavg", "server strategy", "fedavg", "fedprox"));
    s.add(num("federation", "proximal_mu", 0.01, 0.0, null, false, "FedProx proximal term"));
    s.add(num("federation", "server_learning_rate", 1.0, 0.0, null, true, "step applied to the mean update"));
    s.add(num("federation", "target_accuracy", null, 0.0, 1.0, true, "stop once central accuracy reaches this"));
    s.add(num("federation", "round_timeout_seconds", 3600.0, 0.0, null, true, "longest wait for replies"));
    s.add(integer("federation", "quorum", 0, 0, null, "close a round once this many clients returned usable "
        + "updates, recording the others as late (0 = wait for every sampled client or the timeout)"));
    s.add(integer("federation", "parallelism", 0, 0, 1024, "clients trained at once (0 = one per core)"));
    // [privacy]
    s.add(choice("privacy", "mode", "none", "differential privacy", "none", "client-level", "dp-sgd", "local"));
    s.add(num("privacy", "epsilon", null, 0.0, null, true, "the budget's epsilon per data holder"));
    s.add(num("privacy", "delta", 1e-5, 0.0, 1.0, true, "the budget's delta per data holder"));
    s.add(num("privacy", "noise_multiplier", null, 0.0, null, true,
        "noise stddev over clipping norm (default: calibrated from epsilon)"));
    s.add(num("privacy", "clipping_norm", 1.0, 0.0, null, true, "L2 clipping norm (initial norm if adaptive)"));
    s.add(new Setting("privacy", "adaptive_clipping", Setting.Type.BOOL, false, null, null, false, List.of(),
        "adapt the clipping norm to a quantile of update norms (client-level)"));
    s.add(num("privacy", "target_quantile", 0.5, 0.0, 1.0, false, "adaptive clipping: share of updates unclipped"));
    s.add(num("privacy", "clip_learning_rate", 0.2, 0.0, null, true, "adaptive clipping: geometric step"));
    s.add(num("privacy", "clipped_count_stddev", null, 0.0, null, true,
        "adaptive clipping: noise on the unclipped count (default 0.05 x clients per round)"));
    s.add(integer("privacy", "max_physical_batch", 256, 1, 1_000_000,
        "dp-sgd: most examples through the model at once (a larger lot is processed in pieces)"));
    s.add(choice("privacy", "conversion", "improved", "RDP to (epsilon, delta) conversion", "improved", "classic"));
    s.add(str("privacy", "ledger", ".cohort/privacy-ledger.tsv", "file recording each data holder's lifetime spend"));
    s.add(integer("privacy", "noise_seed", null, 0, null, "seed the noise (tests only: the output is not private)"));
    // [server] and [client]: deployment over gRPC with mutual TLS (cohort server / cohort client)
    s.add(str("server", "listen", "127.0.0.1:7443", "HOST:PORT the server listens on"));
    s.add(str("server", "pki", ".cohort/pki", "the federation's certificate directory (cohort certs init)"));
    s.add(str("server", "name", "server", "the name of the server's certificate"));
    s.add(str("server", "store", null, "run store URL (sqlite:FILE or a PostgreSQL JDBC URL); none if unset"));
    s.add(integer("server", "wait_for_clients", 0, 0, null,
        "clients to wait for before round 1 (0 = [federation] min_clients)"));
    s.add(num("server", "connect_timeout_seconds", 600.0, 0.0, null, true, "longest wait for those clients"));
    s.add(num("server", "round_wait_seconds", 0.0, 0.0, null, false,
        "before each later round, wait up to this long for wait_for_clients to be connected (clients reconnecting)"));
    s.add(num("server", "rejoin_grace_seconds", 30.0, 0.0, null, false, "how long a round's request waits for "
        + "a disconnected client to reconnect (a restarted client then takes part in the current round)"));
    s.add(integer("server", "max_message_mb", 1024, 1, 2_000_000, "largest message accepted, in MiB"));
    s.add(integer("server", "reply_buffer_mb", 64, 1, 1_000_000, "replies held in memory at once, in MiB, while "
        + "they arrive and (with ordered_replies) while they wait for their turn; senders beyond it are paused, and "
        + "early replies beyond it wait on disk"));
    s.add(new Setting("server", "ordered_replies", Setting.Type.BOOL, true, null, null, false, List.of(),
        "fold replies in request order, as cohort sim does (identical results; early replies wait in "
            + "reply_buffer_mb of memory, then in a temporary file); false folds them as they arrive"));
    s.add(str("server", "metrics", null, "HOST:PORT serving Prometheus metrics at /metrics (none if unset)"));
    s.add(str("client", "server", "127.0.0.1:7443", "HOST:PORT of the server"));
    s.add(str("client", "pki", ".cohort/pki", "the directory holding this client's certificate and key"));
    s.add(str("client", "name", null, "this client's name: the name on its certificate"));
    s.add(num("client", "max_backoff_seconds", 30.0, 0.0, null, true,
        "longest wait between reconnection attempts (the wait doubles from 0.5 s up to this)"));
    s.add(str("client", "partition", null,
        "demo data: partition I/N (1-based) of the configured dataset, split as cohort sim splits it"));
    // [secure_aggregation]
    s.add(new Setting("secure_aggregation", "enabled", Setting.Type.BOOL, false, null, null, false, List.of(),
        "the server learns only the sum of each round's updates (SecAgg+)"));
    s.add(num("secure_aggregation", "threshold", 0.5, 0.0, null, true,
        "survivors a round needs: a fraction of the round's clients (<= 1) or a count (>= 2); always a majority"));
    s.add(integer("secure_aggregation", "degree", 0, 0, null,
        "neighbours per client in the SecAgg+ graph, even (0 = the smallest that tolerates dropout_tolerance)"));
    s.add(num("secure_aggregation", "dropout_tolerance", 0.3, 0.0, 1.0, false,
        "share of clients the automatic degree must tolerate losing"));
    s.add(integer("secure_aggregation", "quantization_bits", 0, 0, 31,
        "bits per coordinate (0 = the most that cannot wrap for the round's clients)"));
    s.add(num("secure_aggregation", "clipping_range", 1.0, 0.0, null, true,
        "each (weighted) update coordinate is clipped to [-range, range] before quantisation"));
    s.add(integer("secure_aggregation", "weight_cap", 10_000, 0, null,
        "examples at which a client's FedAvg weight saturates (0 = equal weights)"));
    s.add(num("secure_aggregation", "dropout", 0.0, 0.0, 1.0, false,
        "simulation only: share of clients made to drop out of each round"));
    s.add(choice("secure_aggregation", "dropout_stage", "masked_input", "simulation only: the stage they drop at",
        "advertise_keys", "share_keys", "masked_input", "unmask"));
    return new Schema(s);
  }

  /** The setting at {@code section.key}, or a {@link ConfigException} listing what is allowed. */
  public Setting setting(String section, String key) {
    Map<String, Setting> keys = sections.get(section);
    if (keys == null) {
      throw new ConfigException("unknown section [" + section + "]; allowed: "
          + String.join(", ", sections.keySet().stream().map(k -> "[" + k + "]").toList()));
    }
    Setting s = keys.get(key);
    if (s == null) {
      throw new ConfigException("unknown key [" + section + "] " + key + "; allowed: "
          + String.join(", ", keys.keySet()));
    }
    return s;
  }

  /** The sections and their settings, in declaration order. */
  public Map<String, Map<String, Setting>> sections() {
    return sections;
  }

  private static Setting choice(String section, String key, String def, String doc, String... choices) {
    return new Setting(section, key, Type.CHOICE, def, null, null, false, List.of(choices), doc);
  }

  private static Setting str(String section, String key, String def, String doc) {
    return new Setting(section, key, Type.STRING, def, null, null, false, List.of(), doc);
  }

  private static Setting integer(String section, String key, Integer def, Integer min, Integer max, String doc) {
    return new Setting(section, key, Type.INT, def, min == null ? null : min.doubleValue(),
        max == null ? null : max.doubleValue(), false, List.of(), doc);
  }

  private static Setting num(String section, String key, Double def, Double min, Double max,
      boolean minExclusive, String doc) {
    return new Setting(section, key, Type.DOUBLE, def, min, max, minExclusive, List.of(), doc);
  }
}
