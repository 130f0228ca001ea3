package dev.cohort.sim;

import dev.cohort.client.ModelPool;
import dev.cohort.client.TrainingClientApp;
import dev.cohort.core.ClientId;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.client.Mod;
import dev.cohort.core.round.FitProtocol;
import dev.cohort.server.DirectFitProtocol;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.core.strategy.Strategy;
import dev.cohort.data.Dataset;
import dev.cohort.data.partition.Partition;
import dev.cohort.data.partition.Partitioner;
import dev.cohort.server.Coordinator;
import dev.cohort.server.RunObserver;
import dev.cohort.server.RunJournal;
import dev.cohort.server.RunResult;
import dev.cohort.server.RunState;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.train.Evaluation;
import dev.cohort.train.LocalTrainer;
import dev.cohort.train.Model;
import dev.cohort.train.ModelSpec;
import dev.cohort.train.TrainConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A federation of virtual clients in one JVM: partitions a training set among {@code clients}
 * data holders, runs the same {@link Coordinator} and {@link TrainingClientApp} a deployment runs
 * over an {@link InProcessTransport}, and evaluates each new global model on a test set.
 *
 * <p>Clients train in parallel, {@code parallelism} at a time (one per core by default); each
 * worker thread reuses one model, so memory grows with the clients in flight. Partition views
 * share the training set's arrays. The same inputs and seed give the same result, bit for bit.
 * Not thread-safe; {@link #run()} once.
 */
public final class Simulation {
  private final Builder b;
  private final Partition partition;
  private final ModelPool sharedModels;

  private Simulation(Builder b) {
    this.b = b;
    this.partition = b.partition != null ? b.partition : b.partitioner.partition(b.train, b.clients, b.seed);
    this.sharedModels = models();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The ids of the virtual clients, in partition order ("client-07" holds partition 7). */
  public List<ClientId> clientIds() {
    return clientIds(partition.numClients());
  }

  /** The ids a simulation of {@code n} clients gives its virtual clients. */
  public static List<ClientId> clientIds(int n) {
    List<ClientId> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(ClientId.of(String.format("client-%0" + String.valueOf(n - 1).length() + "d", i)));
    }
    return ids;
  }

  /** The clients' shares of the training set. */
  public Partition partition() {
    return partition;
  }

  /** The global model before round 1: the model initialised from the seed (a new copy each call). */
  public dev.cohort.tensor.ParameterSet initialParameters() {
    return new ModelPool(b.model, b.train.exampleShape(), outputs(b.train)).fresh(b.seed).parameters().copy();
  }

  /** Runs the federation to the end over virtual clients in this JVM and returns its result. */
  public RunResult run() throws InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    int parallelism = b.parallelism > 0 ? b.parallelism : cores;
    Kernels.setIntraOpThreads(Math.max(1, cores / parallelism));
    List<ClientId> ids = clientIds();
    Map<ClientId, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    try (InProcessTransport transport = InProcessTransport.create(ids, id -> {
      Integer i = index.get(id);
      if (i == null) {
        throw new IllegalArgumentException("no virtual client " + id);
      }
      return clientRuntime(i);
    }, parallelism)) {
      return runOver(transport);
    }
  }

  /**
   * Runs the same federation's server side over {@code transport}: the clients are elsewhere (other
   * processes, over the network), each running {@link #clientRuntime(int)} for its partition. The
   * same configuration and seed give the same rounds as {@link #run()} when the transport lists the
   * clients in the same order and delivers replies in request order.
   */
  public RunResult runOver(dev.cohort.core.transport.Transport transport) throws InterruptedException {
    ModelPool models = models();
    Model initial = models.fresh(b.seed);
    Model evaluatorModel = models.fresh(b.seed);
    LocalTrainer trainer = new LocalTrainer();
    Coordinator.Builder cb = Coordinator.builder()
        .runId(b.runId)
        .transport(transport)
        .strategy(b.strategy)
        .initialParameters(initial.parameters())
        .rounds(b.rounds)
        .roundTimeout(b.roundTimeout)
        .quorum(b.quorum)
        .observer(b.observer)
        .seed(b.seed)
        .gate(b.gate)
        .fitProtocol(b.fitProtocol)
        .journal(b.journal);
    if (b.resumeFrom != null) {
      cb.resumeFrom(b.resumeFrom);
    }
    if (b.test != null) {
      cb.evaluator(global -> {
        evaluatorModel.loadParameters(global);
        Evaluation e = trainer.evaluate(evaluatorModel, b.test, 1000);
        return new ModelEvaluation(e.meanLoss(), e.accuracy(), e.examples());
      });
    }
    b.targetAccuracy.ifPresent(cb::targetAccuracy);
    return cb.build().run();
  }

  /**
   * The client side of partition {@code i} (0-based): training on that share of the data with the
   * configured model, training settings and mods. A client process runs one of these.
   */
  public ClientRuntime clientRuntime(int i) {
    if (i < 0 || i >= partition.numClients()) {
      throw new IllegalArgumentException("partition index must be in [0, " + partition.numClients() + ") but was " + i);
    }
    return new ClientRuntime(new TrainingClientApp(partition.client(i), sharedModels, b.training), b.mods);
  }

  private ModelPool models() {
    return new ModelPool(b.model, b.train.exampleShape(), outputs(b.train));
  }

  private static int outputs(Dataset d) {
    return d.isClassification() ? d.numClasses() : d.targetSize();
  }

  /** Configures a {@link Simulation}. Not thread-safe. */
  public static final class Builder {
    private Dataset train;
    private Dataset test;
    private Partitioner partitioner = Partitioner.iid();
    private Partition partition;
    private int clients = 10;
    private ModelSpec model;
    private TrainConfig training;
    private Strategy strategy;
    private List<Mod> mods = List.of();
    private FitProtocol fitProtocol = DirectFitProtocol.INSTANCE;
    private int rounds = 1;
    private Duration roundTimeout = Duration.ofHours(1);
    private int quorum;
    private OptionalDouble targetAccuracy = OptionalDouble.empty();
    private int parallelism;
    private long seed;
    private String runId = "sim";
    private RunObserver observer = new RunObserver() {};
    private RoundGate gate = RoundGate.OPEN;
    private RunJournal journal = RunJournal.NONE;
    private RunState resumeFrom;

    private Builder() {}

    /** Records every round durably as it ends (see {@link Coordinator.Builder#journal}). */
    public Builder journal(RunJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Continues an interrupted run from {@code state} (see {@link Coordinator.Builder#resumeFrom});
     * every other setting must be the interrupted run's.
     */
    public Builder resumeFrom(RunState state) {
      this.resumeFrom = Objects.requireNonNull(state, "state");
      return this;
    }

    /** A check before every round, such as a privacy budget. */
    public Builder gate(RoundGate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /** The examples to partition among clients. */
    public Builder trainData(Dataset train) {
      this.train = Objects.requireNonNull(train, "train");
      return this;
    }

    /** The held-out set each global model is evaluated on (optional). */
    public Builder testData(Dataset test) {
      this.test = Objects.requireNonNull(test, "test");
      return this;
    }

    public Builder partitioner(Partitioner partitioner) {
      this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
      return this;
    }

    /** A partition made beforehand (of the training data); replaces partitioner and clients. */
    public Builder partition(Partition partition) {
      this.partition = Objects.requireNonNull(partition, "partition");
      return this;
    }

    public Builder clients(int clients) {
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be >= 1 but was " + clients);
      }
      this.clients = clients;
      return this;
    }

    public Builder model(ModelSpec model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Local training settings clients use when the instruction carries none. */
    public Builder training(TrainConfig training) {
      this.training = Objects.requireNonNull(training, "training");
      return this;
    }

    public Builder strategy(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * How rounds collect updates: direct (the default) or secure aggregation, whose client half
     * must then be among the {@link #mods}.
     */
    public Builder fitProtocol(FitProtocol protocol) {
      this.fitProtocol = java.util.Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /** Client mods, outermost first (privacy and security layers' client halves). */
    public Builder mods(List<Mod> mods) {
      this.mods = List.copyOf(mods);
      return this;
    }

    public Builder rounds(int rounds) {
      this.rounds = rounds;
      return this;
    }

    public Builder roundTimeout(Duration timeout) {
      this.roundTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Closes each round once this many clients returned usable updates (see {@link Coordinator.Builder#quorum}). */
    public Builder quorum(int quorum) {
      this.quorum = quorum;
      return this;
    }

    public Builder targetAccuracy(double accuracy) {
      this.targetAccuracy = OptionalDouble.of(accuracy);
      return this;
    }

    /** Clients trained at once; 0 (the default) means one per core. */
    public Builder parallelism(int parallelism) {
      if (parallelism < 0) {
        throw new IllegalArgumentException("parallelism must be >= 0 but was " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /** Seeds partitioning, initialisation, sampling and local training. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    public Builder observer(RunObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /** Partitions the data (so the partition can be reported before the run) and validates. */
    public Simulation build() {
      Objects.requireNonNull(train, "trainData is required");
      if (partition != null && partition.dataset() != train) {
        throw new IllegalArgumentException("the partition is of " + partition.dataset().name()
            + ", not of the training data " + train.name());
      }
      Objects.requireNonNull(model, "model is required");
      Objects.requireNonNull(training, "training is required");
      Objects.requireNonNull(strategy, "strategy is required");
      if (test != null && !test.exampleShape().equals(train.exampleShape())) {
        throw new IllegalArgumentException("test examples have shape " + test.exampleShape()
            + " but training examples have " + train.exampleShape());
      }
      return new Simulation(this);
    }
  }
}
