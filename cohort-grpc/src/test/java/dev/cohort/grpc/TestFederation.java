package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.client.ClientApp;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.pki.FederationPki;
import dev.cohort.pki.Role;
import dev.cohort.pki.TlsIdentity;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/** A PKI directory, a server and clients on loopback, for tests; closes everything it started. */
final class TestFederation implements AutoCloseable {
  final FederationPki pki;
  final List<GrpcClientConnector> clients = new ArrayList<>();
  GrpcServerTransport server;
  int port;

  TestFederation(Path dir) {
    pki = FederationPki.init(dir);
    pki.issue("server", Role.SERVER, List.of());
  }

  GrpcServerTransport startServer(Consumer<GrpcServerTransport.Builder> settings) throws IOException {
    GrpcServerTransport.Builder b = GrpcServerTransport.builder().listen("127.0.0.1", port)
        .pki(pki, "server").heartbeat(Duration.ofMillis(250), Duration.ofSeconds(3))
        .trustPollInterval(Duration.ofMillis(200));
    settings.accept(b);
    server = b.start();
    port = server.port();
    return server;
  }

  GrpcServerTransport startServer() throws IOException {
    return startServer(b -> {});
  }

  TlsIdentity enrol(String name) {
    return pki.issue(name, Role.CLIENT, List.of());
  }

  GrpcClientConnector connect(TlsIdentity id, ClientApp app) {
    return connect(id, app, b -> {});
  }

  GrpcClientConnector connect(TlsIdentity id, ClientApp app, Consumer<GrpcClientConnector.Builder> settings) {
    GrpcClientConnector.Builder b = GrpcClientConnector.builder().server("127.0.0.1", port).identity(id)
        .runtime(new ClientRuntime(app, List.of())).backoff(Duration.ofMillis(50), Duration.ofMillis(400));
    settings.accept(b);
    GrpcClientConnector c = b.start();
    clients.add(c);
    return c;
  }

  @Override
  public void close() {
    for (GrpcClientConnector c : clients) {
      c.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  /* --- payloads --- */

  /** The layout of the MNIST 2NN (784-200-200-10): 199,210 floats. */
  static ParameterLayout twoNn() {
    return ParameterLayout.builder()
        .add("fc1.weight", Shape.of(200, 784)).add("fc1.bias", Shape.of(200))
        .add("fc2.weight", Shape.of(200, 200)).add("fc2.bias", Shape.of(200))
        .add("fc3.weight", Shape.of(10, 200)).add("fc3.bias", Shape.of(10)).build();
  }

  static ParameterSet filled(ParameterLayout layout, float base) {
    float[] d = new float[layout.totalSize()];
    for (int i = 0; i < d.length; i++) {
      d[i] = base + (i % 1000) * 0.001f;
    }
    return ParameterSet.wrap(layout, d);
  }

  static List<Message> fitRequests(List<ClientId> clients, ParameterSet global, int round) {
    FitInstruction fit = new FitInstruction(global, ConfigRecord.empty());
    List<Message> out = new ArrayList<>();
    for (ClientId c : clients) {
      out.add(Message.request("run", round, c, fit));
    }
    return out;
  }

  /** A client app that adds {@code delta} to every parameter, or does what {@code fit} says. */
  static ClientApp app(BiFunction<FitInstruction, ClientContext, FitResult> fit) {
    return new ClientApp() {
      @Override
      public FitResult fit(FitInstruction instruction, ClientContext context) {
        return fit.apply(instruction, context);
      }

      @Override
      public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
        return new EvaluateResult(0.5, 7, MetricRecord.of("accuracy", 0.9));
      }
    };
  }

  static ClientApp addOne() {
    return app((fit, ctx) -> {
      float[] d = fit.global().data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] += 1;
      }
      return new FitResult(ParameterSet.wrap(fit.global().layout(), d), 10, MetricRecord.of("round", ctx.round()));
    });
  }

  /** Records outcomes per request and checks the listener contract: one call per request, never concurrent. */
  static final class Recorder implements ReplyListener {
    final Map<Long, Message> replies = new ConcurrentHashMap<>();
    final Map<Long, ClientFailure> failures = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    private final AtomicBoolean inside = new AtomicBoolean();
    volatile boolean overlapped;
    volatile boolean duplicated;

    @Override
    public void onReply(Message request, Message reply) {
      enter();
      if (replies.put(request.header().messageId(), reply) != null || failures.containsKey(request.header().messageId())) {
        duplicated = true;
      }
      exit();
    }

    @Override
    public void onFailure(Message request, ClientFailure failure) {
      enter();
      if (failures.put(request.header().messageId(), failure) != null || replies.containsKey(request.header().messageId())) {
        duplicated = true;
      }
      exit();
    }

    private void enter() {
      calls.incrementAndGet();
      if (!inside.compareAndSet(false, true)) {
        overlapped = true;
      }
    }

    private void exit() {
      inside.set(false);
    }

    ClientFailure failureFor(Message request) {
      return failures.get(request.header().messageId());
    }

    Message replyFor(Message request) {
      return replies.get(request.header().messageId());
    }
  }
}
