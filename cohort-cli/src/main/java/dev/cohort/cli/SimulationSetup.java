package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.ConfigException;
import dev.cohort.client.TrainKeys;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.strategy.FedAvg;
import dev.cohort.core.strategy.Strategy;
import dev.cohort.data.CsvData;
import dev.cohort.data.CsvReader;
import dev.cohort.data.Dataset;
import dev.cohort.data.DatasetNotFoundException;
import dev.cohort.data.FashionMnist;
import dev.cohort.data.Split;
import dev.cohort.data.partition.Partitioner;
import dev.cohort.train.ModelSpec;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.optim.OptimizerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Turns a checked {@link Config} into the parts of a simulation: data, model, training, strategy. */
final class SimulationSetup {
  private SimulationSetup() {}

  /** Training and test data. */
  record Data(Dataset train, Dataset test) {}

  static Data data(Config c) {
    String kind = c.string("data", "dataset");
    Data d = switch (kind) {
      case "fashion-mnist" -> fashionMnist(c);
      case "csv" -> csv(c);
      default -> throw new ConfigException("[data] dataset must be fashion-mnist or csv, got \"" + kind + "\"");
    };
    int trainLimit = c.integer("data", "train_limit");
    int testLimit = c.integer("data", "test_limit");
    Dataset train = trainLimit > 0 ? d.train.head(trainLimit) : d.train;
    Dataset test = d.test == null ? null : testLimit > 0 ? d.test.head(testLimit) : d.test;
    return new Data(train, test);
  }

  private static Data fashionMnist(Config c) {
    Path dir = Path.of(c.find("data", "path").map(Object::toString).orElse(FashionMnist.DEFAULT_DIR.toString()));
    FashionMnist.Scaling scaling = c.string("data", "pixels").equals("unit")
        ? FashionMnist.Scaling.UNIT : FashionMnist.Scaling.STANDARDIZED;
    try {
      return new Data(FashionMnist.load(dir, Split.TRAIN, scaling),
          FashionMnist.load(dir, Split.TEST, scaling));
    } catch (DatasetNotFoundException e) {
      throw new UserFacingException(e.getMessage(), 2);
    } catch (IOException e) {
      throw new UserFacingException("cannot read Fashion-MNIST from " + dir + ": " + e.getMessage(), 1);
    }
  }

  private static Data csv(Config c) {
    Path train = Path.of(c.find("data", "path").map(Object::toString).orElseThrow(() ->
        new ConfigException("[data] path is required for dataset = \"csv\" (the training CSV file)")));
    String label = c.string("data", "label_column");
    try {
      CsvData trainData = CsvReader.classification(label).read(train);
      if (c.find("data", "test_path").isPresent()) {
        CsvData testData = CsvReader.classification(label).read(Path.of(c.string("data", "test_path")));
        if (!testData.classNames().equals(trainData.classNames())) {
          throw new UserFacingException("the test CSV's classes " + testData.classNames()
              + " differ from the training CSV's " + trainData.classNames(), 2);
        }
        return new Data(trainData.dataset(), testData.dataset());
      }
      return holdOut(trainData.dataset(), c.longValue("data", "seed"));
    } catch (IOException e) {
      throw new UserFacingException(e.getMessage(), 2);
    }
  }

  /** A seeded 80/20 split, for CSV data without a separate test file. */
  private static Data holdOut(Dataset all, long seed) {
    int n = all.size();
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int testSize = Math.max(1, n / 5);
    return new Data(all.subset(Arrays.copyOfRange(order, testSize, n)),
        all.subset(Arrays.copyOfRange(order, 0, testSize)));
  }

  private static Partitioner partitionFile(Config c) {
    Path file = Path.of(c.find("data", "partition_file").map(Object::toString).orElseThrow(() ->
        new ConfigException("[data] partition_file is required for partition = \"file\"")));
    try {
      return Partitioner.fromFile(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserFacingException("[data] partition_file " + file + " does not exist", 2);
    } catch (IOException e) {
      throw new UserFacingException(e.getMessage(), 2);
    }
  }

  static Partitioner partitioner(Config c) {
    return switch (c.string("data", "partition")) {
      case "iid" -> Partitioner.iid();
      case "dirichlet" -> Partitioner.dirichlet(c.number("data", "alpha"));
      case "label-quantity" -> Partitioner.labelQuantity(c.integer("data", "classes_per_client"));
      case "shards" -> Partitioner.shards(c.integer("data", "shards_per_client"));
      case "quantity-skew" -> Partitioner.quantitySkew(c.number("data", "alpha"));
      case "file" -> partitionFile(c);
      default -> throw new ConfigException("unsupported [data] partition " + c.string("data", "partition"));
    };
  }

  static ModelSpec model(Config c) {
    String kind = c.string("model", "kind");
    if (!kind.equals("mlp") && c.isSet("model", "hidden")) {
      throw new ConfigException("[model] hidden applies only to kind = \"mlp\", not \"" + kind + "\"");
    }
    return new ModelSpec(kind, kind.equals("mlp") ? c.intList("model", "hidden") : java.util.List.of(),
        c.string("model", "activation"));
  }

  static TrainConfig training(Config c) {
    double lr = c.number("train", "learning_rate");
    OptimizerSpec opt = switch (c.string("train", "optimizer")) {
      case "sgd" -> OptimizerSpec.sgd(lr, c.number("train", "momentum"), c.number("train", "weight_decay"), false);
      case "adam" -> OptimizerSpec.adam(lr, 0.9, 0.999, 1e-8, c.number("train", "weight_decay"));
      default -> throw new ConfigException("unsupported [train] optimizer " + c.string("train", "optimizer"));
    };
    TrainConfig t = TrainConfig.of(c.integer("train", "epochs"), c.integer("train", "batch_size"), opt);
    if (c.string("federation", "strategy").equals("fedprox")) {
      t = t.withProximalMu(c.number("federation", "proximal_mu"));
    }
    return t;
  }

  static Strategy strategy(Config c, TrainConfig training, PrivacySetup.Layers privacy) {
    int clients = c.integer("data", "clients");
    int minClients = c.integer("federation", "min_clients");
    if (minClients > clients) {
      throw new ConfigException("[federation] min_clients must be <= [data] clients (" + clients + "), got "
          + minClients);
    }
    return FedAvg.builder()
        .name(c.string("federation", "strategy"))
        .fraction(c.number("federation", "fraction"))
        .minClients(minClients)
        .serverLearningRate(c.number("federation", "server_learning_rate"))
        .clientConfig(privacy.clientConfig().toBuilder().put(TrainKeys.TRAIN, training).build())
        .aggregator(privacy.aggregator())
        .poissonSampling(privacy.poissonSampling())
        .evaluateFraction(c.number("federation", "fraction_evaluate"))
        .build();
  }

  static Duration roundTimeout(Config c) {
    return Duration.ofMillis((long) (1000 * c.number("federation", "round_timeout_seconds")));
  }

  /** The round quorum ([federation] quorum), checked against min_clients and secure aggregation. */
  static int quorum(Config c) {
    int quorum = c.integer("federation", "quorum");
    if (quorum == 0) {
      return 0;
    }
    if (quorum < c.integer("federation", "min_clients")) {
      throw new ConfigException("[federation] quorum (" + quorum + ") must be 0 or at least min_clients ("
          + c.integer("federation", "min_clients") + "): a round closed with fewer updates could not complete");
    }
    if (c.bool("secure_aggregation", "enabled")) {
      throw new ConfigException("[federation] quorum closes plain rounds early; with secure aggregation a round "
          + "ends by its own threshold ([secure_aggregation] threshold), so leave quorum at 0");
    }
    return quorum;
  }
}
