package dev.cohort.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.ConfigException;
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

  @CommandLine.Mixin ConfigOptions configOptions;

  @Option(names = "--server", paramLabel = "HOST:PORT", description = "the server (default [client] server)")
  String server;

  @Option(names = "--name", paramLabel = "NAME", description = "this client's certificate name (default [client] name)")
  String name;

  @Option(names = "--pki", paramLabel = "DIR", description = "directory with NAME.crt, NAME.key and ca-bundle.crt")
  Path pki;

  @Option(names = "--json", description = "print a JSON summary as the last line of stdout: per client, how "
      + "it ended, its connections, the requests it answered and its bytes on the wire")
  boolean json;

  @Option(names = "--partition", paramLabel = "I/N",
      description = "use partition I (1-based) of N of the configured dataset (demos); N must equal [data] clients. "
          + "I-J/N runs clients for partitions I..J in this process, named NAME-.. as 'cohort sim' names them")
  String partition;

  /** Which partitions this process serves: first..last (1-based) of n, or the whole dataset (n = 0). */
  record Partitions(int first, int last, int n) {
    static Partitions parse(String spec, int clients) {
      if (spec == null) {
        return new Partitions(1, 1, 0);
      }
      String[] parts = spec.split("/");
      int first;
      int last;
      int n;
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        String[] range = parts[0].split("-");
        first = Integer.parseInt(range[0].trim());
        last = range.length == 2 ? Integer.parseInt(range[1].trim()) : first;
        n = Integer.parseInt(parts[1].trim());
        if (range.length > 2) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ConfigException("--partition must be I/N or I-J/N, e.g. 2/3, got \"" + spec + "\"");
      }
      if (n != clients || first < 1 || last < first || last > n) {
        throw new ConfigException("--partition " + spec + " must name partitions of [data] clients = " + clients
            + ", as I/" + clients + " or I-J/" + clients + " with 1 <= I <= J <= " + clients);
      }
      return new Partitions(first, last, n);
    }

    int count() {
      return last - first + 1;
    }
  }

  @Override
  public Integer call() throws Exception {
    Config c = configOptions.load();
    Deployment.refuseTestOnlySettings(c);
    HostPort address = HostPort.parse(server != null ? server : c.string("client", "server"), "--server");
    Partitions parts = Partitions.parse(partition != null ? partition
        : c.find("client", "partition").map(Object::toString).orElse(null), c.integer("data", "clients"));
    String me = name != null ? name : c.find("client", "name").map(Object::toString).orElse(null);
    List<String> names;
    if (parts.count() > 1) {
      // Many clients in one process (load tests, demos): named as the simulation names its clients.
      List<String> all = CertsCommand.numberedNames(me != null ? me : "client", parts.n());
      names = all.subList(parts.first() - 1, parts.last());
    } else if (me == null) {
      throw new ConfigException("a client needs a name: --name NAME or [client] name (the name on its certificate)");
    } else {
      names = List.of(me);
    }
    Path pkiDir = pki != null ? pki : Path.of(c.string("client", "pki"));
    FederationPki federationPki;
    List<TlsIdentity> identities = new ArrayList<>();
    try {
      federationPki = FederationPki.open(pkiDir);
      for (String n : names) {
        identities.add(federationPki.identity(n));
      }
    } catch (PkiException e) {
      throw new UserFacingException(e.getMessage(), 2);
    }
    Simulation federation = federation(c, parts.n());
    List<GrpcClientConnector> connectors = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      ClientRuntime runtime = federation.clientRuntime(parts.n() == 0 ? 0 : parts.first() - 1 + k);
      connectors.add(GrpcClientConnector.builder().server(address.host(), address.port())
          .identity(identities.get(k)).runtime(runtime).codec(WireFormat.codec())
          .backoff(Duration.ofMillis(500), Duration.ofMillis(Math.max(500,
              (long) (1000 * c.number("client", "max_backoff_seconds")))))
          .maxMessageBytes((long) c.integer("server", "max_message_mb") << 20).start());
    }
    String who = names.size() == 1 ? "client " + names.getFirst()
        : names.size() + " clients (" + names.getFirst() + " .. " + names.getLast() + ")";
    System.err.printf(Locale.ROOT, "%s: connecting to %s%n", who, address);
    int exit = 0;
    ObjectNode summary = new ObjectMapper().createObjectNode();
    ArrayNode perClient = summary.putArray("clients");
    for (int k = 0; k < connectors.size(); k++) {
      GrpcClientConnector connector = connectors.get(k);
      GrpcClientConnector.Outcome outcome;
      try {
        outcome = connector.await();
      } finally {
        connector.close();
      }
      var entry = perClient.addObject().put("name", names.get(k))
          .put("outcome", outcome.name().toLowerCase(Locale.ROOT)).put("connections", connector.connections())
          .put("requests", connector.requestsAnswered()).put("bytes_sent", connector.traffic().bytesSent())
          .put("bytes_received", connector.traffic().bytesReceived());
      if (!connector.lastError().isEmpty()) {
        entry.put("last_error", connector.lastError());
      }
      switch (outcome) {
        case FINISHED -> { }
        case REFUSED -> {
          if (connectors.size() == 1 && !json) {
            throw new UserFacingException("the server refused client " + names.get(k) + ": " + connector.lastError(), 3);
          }
          System.err.println("the server refused client " + names.get(k) + ": " + connector.lastError());
          exit = 3;
        }
        case CLOSED -> exit = Math.max(exit, 1);
      }
    }
    if (exit == 0) {
      System.err.printf(Locale.ROOT, "%s: the federation has ended%n", who);
    }
    if (json) {
      summary.put("exit", exit);
      spec.commandLine().getOut().println(summary);
      spec.commandLine().getOut().flush();
    }
    return exit;
  }

  /**
   * The configured federation, split into {@code n} partitions as {@code cohort sim} splits it (or,
   * for n = 0, the whole dataset as this holder's own), with the privacy and secure-aggregation mods
   * the configuration asks for; clients run its {@link Simulation#clientRuntime}.
   */
  static Simulation federation(Config c, int n) {
    SimulationSetup.Data data = SimulationSetup.data(c);
    TrainConfig training = SimulationSetup.training(c);
    long seed = c.longValue("data", "seed");
    Partition split = n > 0 ? SimulationSetup.partitioner(c).partition(data.train(), n, seed)
        : Partitioner.iid().partition(data.train(), 1, seed);
    PrivacySetup.Layers privacy = PrivacySetup.layers(c, split, training, System.err);
    List<Mod> mods = SecureAggregationSetup.layer(c, privacy).clientMods(privacy);
    return Simulation.builder().trainData(data.train()).partition(split)
        .model(SimulationSetup.model(c)).training(training).strategy(SimulationSetup.strategy(c, training, privacy))
        .mods(mods).seed(seed).build();
  }
}
