package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.grpc.GrpcServerTransport;
import dev.cohort.observe.LoggingObserver;
import dev.cohort.observe.MetricsObserver;
import dev.cohort.observe.MetricsRegistry;
import dev.cohort.observe.MetricsServer;
import dev.cohort.observe.StructuredLogging;
import dev.cohort.observe.TransportMetrics;
import dev.cohort.server.RunObserver;
import dev.cohort.pki.PkiException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cohort server --config FILE [--listen HOST:PORT] [--store URL] [--pki DIR] [--json]}: the
 * federation's server over gRPC with mutual TLS. It runs the configured federation exactly as
 * {@code cohort sim} does, with the clients in other processes ({@code cohort client}), and exits 0
 * once the run ends, printing the same summary.
 */
@Command(name = "server", description = "Run the federation's server over gRPC with mutual TLS.",
    footer = {"", "Clients connect out to the server with 'cohort client'; each is identified by the name on its "
        + "certificate, which must be enrolled in the PKI directory ('cohort certs issue'). The server waits for "
        + "[server] wait_for_clients clients (default: [federation] min_clients), then runs every round; a round "
        + "goes on without clients that fail or miss its deadline ([federation] round_timeout_seconds), closes "
        + "early once [federation] quorum clients have answered, and serves a client that reconnects within "
        + "[server] rejoin_grace_seconds the round it missed. With "
        + "--store every round is committed and a killed server continues with --resume RUN_ID."})
final class ServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ConfigOptions configOptions;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "address to listen on (default [server] listen)")
  String listen;

  @Option(names = "--pki", paramLabel = "DIR", description = "the federation's certificates (default [server] pki)")
  Path pki;

  @Option(names = "--store", paramLabel = "URL", description = "run store (default [server] store; none if unset)")
  String store;

  @Option(names = "--resume", paramLabel = "RUN_ID", description = "continue run RUN_ID of the store")
  Long resume;

  @Option(names = "--name", paramLabel = "NAME", description = "the name of a new stored run")
  String name;

  @Option(names = "--json", description = "print a JSON summary as the last line of stdout")
  boolean json;

  @Option(names = "--checkpoint", paramLabel = "FILE", description = "write the final global model to FILE")
  Path checkpoint;

  @Option(names = "--metrics", paramLabel = "HOST:PORT",
      description = "serve Prometheus metrics at http://HOST:PORT/metrics while the run lasts (default [server] metrics)")
  String metrics;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text, or json: one JSON object per log line, and one per round (event round_ended)")
  String logFormat;

  /**
   * Before each round, gives clients that are reconnecting up to {@code patience} to come back, so that
   * a blip in a site's link does not cost it the round; then the round goes on with whoever is
   * connected. Never waits longer than {@code patience}, so a site that is gone cannot stall the run.
   */
  private record PatientTransport(GrpcServerTransport inner, int want, Duration patience)
      implements dev.cohort.core.transport.Transport {
    @Override
    public List<dev.cohort.core.ClientId> availableClients() {
      if (inner.availableClients().size() < want) {
        try {
          inner.awaitClients(want, patience);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return inner.availableClients();
    }

    @Override
    public void exchange(List<dev.cohort.core.message.Message> requests, Duration timeout,
        dev.cohort.core.transport.ReplyListener listener) throws InterruptedException {
      inner.exchange(requests, timeout, listener);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Override
  public Integer call() throws Exception {
    Config c = configOptions.load();
    Deployment.refuseTestOnlySettings(c);
    String storeUrl = store != null ? store : c.find("server", "store").map(Object::toString).orElse(null);
    if (storeUrl == null && (resume != null || name != null)) {
      throw new UserFacingException((resume != null ? "--resume" : "--name") + " needs a store (--store URL)", 2);
    }
    ServerSettings settings = ServerSettings.from(c, listen, pki, metrics);
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new UserFacingException("--log-format must be text or json, got \"" + logFormat + "\"", 2);
    }
    boolean jsonLogs = logFormat.equals("json");
    if (jsonLogs) {
      StructuredLogging.install(java.util.logging.Level.INFO);
    }
    MetricsRegistry registry = new MetricsRegistry();
    RunObserver observers = RunObserver.all(new MetricsObserver(registry),
        jsonLogs ? new LoggingObserver() : new RunObserver() {});
    SimRunner.Launch launch = new SimRunner.Launch() {
      @Override
      public RunObserver observer() {
        return observers;
      }

      @Override
      public dev.cohort.server.RunResult launch(dev.cohort.sim.Simulation sim) throws InterruptedException {
        return serve(sim, settings, registry);
      }
    };
    SimRunner.Persistence persistence = storeUrl == null ? null
        : SimRunner.Persistence.of(storeUrl, resume, name, configOptions.file);
    return SimRunner.run(c, json, checkpoint, spec.commandLine().getOut(), System.err, persistence, launch);
  }

  private static dev.cohort.server.RunResult serve(dev.cohort.sim.Simulation sim, ServerSettings s,
      MetricsRegistry registry) throws InterruptedException {
    HostPort address = s.address();
    HostPort metricsAt = s.metricsAt();
    int waitFor = s.waitFor();
    Duration connectTimeout = s.connectTimeout();
    GrpcServerTransport transport;
    try {
      transport = GrpcServerTransport.builder().listen(address.host(), address.port())
          .pki(s.federation(), s.serverName()).codec(WireFormat.codec()).maxMessageBytes(s.maxMessageBytes())
          .replyBufferBytes(s.replyBufferBytes())
          .holdEarlyReplies(s.replyBufferBytes(), null)
          .deliverInRequestOrder(s.orderedReplies())
          .rejoinGrace(s.rejoinGrace()).start();
    } catch (IOException | PkiException e) {
      throw new UserFacingException("cannot listen on " + address + ": " + e.getMessage(), 1);
    }
    try (transport) {
      System.err.printf(Locale.ROOT, "server: listening on %s:%d (mutual TLS, certificates in %s); waiting for %d "
          + "client%s%n", address.host(), transport.port(), s.pkiDir(), waitFor, waitFor == 1 ? "" : "s");
      registry.addSource(TransportMetrics.builder()
          .connectedClients(() -> transport.availableClients().size())
          .traffic(transport::traffic, dev.cohort.grpc.Traffic::bytesSent, dev.cohort.grpc.Traffic::bytesReceived)
          .refusals(() -> transport.refusals().size())
          .peakBufferedReplyBytes(transport::peakBufferedReplyBytes).build());
      MetricsServer metricsServer = null;
      if (metricsAt != null) {
        try {
          metricsServer = MetricsServer.start(metricsAt.host(), metricsAt.port(), registry);
        } catch (RuntimeException e) {
          throw new UserFacingException("cannot serve metrics on " + metricsAt + ": " + e.getMessage(), 1);
        }
        System.err.printf(Locale.ROOT, "server: metrics at http://%s:%d/metrics%n", metricsAt.host(),
            metricsServer.port());
      }
      try {
        if (!transport.awaitClients(waitFor, connectTimeout)) {
          throw new UserFacingException(String.format(Locale.ROOT, "only %d of %d clients connected within %.0f s: %s",
              transport.availableClients().size(), waitFor, connectTimeout.toMillis() / 1000.0,
              transport.availableClients()), 1);
        }
        System.err.println("server: clients connected: " + transport.availableClients());
        return sim.runOver(s.roundWait().isZero() ? transport
            : new PatientTransport(transport, waitFor, s.roundWait()));
      } finally {
        if (metricsServer != null) {
          metricsServer.close();
        }
      }
    }
  }
}
