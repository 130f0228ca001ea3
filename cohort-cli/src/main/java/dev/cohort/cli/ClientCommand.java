package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.ConfigException;
import dev.cohort.cli.config.Schema;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.client.Mod;
import dev.cohort.data.partition.Partition;
import dev.cohort.data.partition.Partitioner;
import dev.cohort.grpc.GrpcClientConnector;
import dev.cohort.pki.FederationPki;
import dev.cohort.pki.PkiException;
import dev.cohort.pki.TlsIdentity;
import dev.cohort.sim.Simulation;
import dev.cohort.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cohort client --config FILE --server HOST:PORT --name NAME --pki DIR [--partition I/N]}: one
 * data holder of a deployed federation. It connects out to the server (so it works behind a
 * firewall), reconnects with backoff if the connection drops, trains on its local data when asked
 * and exits 0 when the federation ends. Its data is the configured dataset, or for demos partition
 * I of N of it, split exactly as {@code cohort sim} splits it.
 */
@Command(name = "client", description = "Run one data holder of a federation, connecting to its server.")
final class ClientCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the federation's TOML")
  Path config;

  @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override a configuration value")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--server", paramLabel = "HOST:PORT", description = "the server (default [client] server)")
  String server;

  @Option(names = "--name", paramLabel = "NAME", description = "this client's certificate name (default [client] name)")
  String name;

  @Option(names = "--pki", paramLabel = "DIR", description = "directory with NAME.crt, NAME.key and ca-bundle.crt")
  Path pki;

  @Option(names = "--partition", paramLabel = "I/N",
      description = "use partition I (1-based) of N of the configured dataset (demos); N must equal [data] clients")
  String partition;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(config)) {
      throw new UserFacingException("config file " + config + " does not exist", 2);
    }
    Config c = Config.load(Schema.simulation(), config, overrides);
    Deployment.refuseTestOnlySettings(c);
    HostPort address = HostPort.parse(server != null ? server : c.string("client", "server"), "--server");
    String me = name != null ? name : c.find("client", "name").map(Object::toString).orElseThrow(() ->
        new ConfigException("a client needs a name: --name NAME or [client] name (the name on its certificate)"));
    Path pkiDir = pki != null ? pki : Path.of(c.string("client", "pki"));
    TlsIdentity identity;
    try {
      identity = FederationPki.open(pkiDir).identity(me);
    } catch (PkiException e) {
      throw new UserFacingException(e.getMessage(), 2);
    }
    ClientRuntime runtime = runtime(c, partition);
    GrpcClientConnector connector = GrpcClientConnector.builder().server(address.host(), address.port())
        .identity(identity).runtime(runtime).codec(WireFormat.codec())
        .backoff(Duration.ofMillis(500), Duration.ofMillis(Math.max(500,
            (long) (1000 * c.number("client", "max_backoff_seconds")))))
        .maxMessageBytes((long) c.integer("server", "max_message_mb") << 20).start();
    System.err.printf(Locale.ROOT, "client %s: connecting to %s%n", me, address);
    GrpcClientConnector.Outcome outcome;
    try {
      outcome = connector.await();
    } finally {
      connector.close();
    }
    return switch (outcome) {
      case FINISHED -> {
        System.err.printf(Locale.ROOT, "client %s: the federation has ended%n", me);
        yield 0;
      }
      case REFUSED -> throw new UserFacingException("the server refused client " + me + ": " + connector.lastError(), 3);
      case CLOSED -> 1;
    };
  }

  /** The client's training runtime, with the privacy and secure-aggregation mods the configuration asks for. */
  static ClientRuntime runtime(Config c, String partitionSpec) {
    SimulationSetup.Data data = SimulationSetup.data(c);
    TrainConfig training = SimulationSetup.training(c);
    long seed = c.longValue("data", "seed");
    int clients = c.integer("data", "clients");
    int index = 0;
    Partition split;
    if (partitionSpec != null) {
      String[] parts = partitionSpec.split("/");
      int i;
      int n;
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        i = Integer.parseInt(parts[0].trim());
        n = Integer.parseInt(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new ConfigException("--partition must be I/N, e.g. 2/3, got \"" + partitionSpec + "\"");
      }
      if (n != clients || i < 1 || i > n) {
        throw new ConfigException("--partition " + partitionSpec + " must name one of the " + clients
            + " partitions of [data] clients = " + clients + ", as I/" + clients + " with 1 <= I <= " + clients);
      }
      index = i - 1;
      split = SimulationSetup.partitioner(c).partition(data.train(), clients, seed);
    } else {
      split = Partitioner.iid().partition(data.train(), 1, seed);
    }
    PrivacySetup.Layers privacy = PrivacySetup.layers(c, split, training, System.err);
    SecureAggregationSetup.Layer secure = SecureAggregationSetup.layer(c, privacy.distributedNoise(),
        !c.string("privacy", "mode").equals("none"));
    List<Mod> mods = new ArrayList<>(secure.mods());
    mods.addAll(privacy.mods());
    Simulation federation = Simulation.builder().trainData(data.train()).partition(split)
        .model(SimulationSetup.model(c)).training(training).strategy(SimulationSetup.strategy(c, training, privacy))
        .mods(mods).seed(seed).build();
    return federation.clientRuntime(index);
  }
}
