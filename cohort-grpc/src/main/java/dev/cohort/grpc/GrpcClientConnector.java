package dev.cohort.grpc;

import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.message.Header;
import dev.cohort.core.message.Message;
import dev.cohort.core.message.Payload;
import dev.cohort.grpc.proto.ClientFrame;
import dev.cohort.grpc.proto.FederationGrpc;
import dev.cohort.grpc.proto.Heartbeat;
import dev.cohort.grpc.proto.Hello;
import dev.cohort.grpc.proto.Refusal;
import dev.cohort.grpc.proto.ServerFrame;
import dev.cohort.pki.TlsIdentity;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * A client's side of the deployment transport: dials out to the server over mutual TLS (so
 * sites behind firewalls need no open port), answers each request through a {@link
 * ClientRuntime}, sends heartbeats, and reconnects with exponential backoff and jitter after a
 * disconnection, until the server says the federation finished.
 *
 * <pre>{@code
 * try (GrpcClientConnector c = GrpcClientConnector.builder()
 *     .server("fl.example.org", 7443)
 *     .identity(FederationPki.open(dir).identity("site-1"))
 *     .runtime(new ClientRuntime(app, mods))
 *     .start()) {
 *   System.exit(c.await() == Outcome.FINISHED ? 0 : 1);
 * }
 * }</pre>
 *
 * <p>Requests are handled one at a time, in arrival order. Thread-safe.
 */
public final class GrpcClientConnector implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GrpcClientConnector.class.getName());

  /** How a connector ended. */
  public enum Outcome {
    /** The server announced the end of the federation. */
    FINISHED,
    /** The server refused this client's identity (unknown, unenrolled, revoked or foreign certificate) repeatedly. */
    REFUSED,
    /** {@link #close()} was called. */
    CLOSED
  }

  private final Builder config;
  private final ChannelCredentials credentials;
  /** Heartbeats of every connector in this JVM: tiny tasks, one thread. */
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cohort-client-heartbeats");
    t.setDaemon(true);
    return t;
  });

  private final ExecutorService worker;
  private final Thread loop;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private volatile Attempt current;
  private volatile boolean closing;
  private volatile String lastError = "";

  private GrpcClientConnector(Builder b) {
    this.config = b;
    try {
      this.credentials = TlsChannelCredentials.newBuilder()
          .keyManager(b.identity.certificate().toFile(), b.identity.privateKey().toFile())
          .trustManager(b.identity.trustedCas().toFile())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS identity of " + b.identity.name(), e);
    }
    String name = b.identity.name();
    // virtual threads, so that one JVM can host many connectors (load tests, simulations of sites)
    this.worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("cohort-client-" + name + "-worker").factory());
    this.loop = Thread.ofVirtual().name("cohort-client-" + name).unstarted(this::run);
  }

  /** A builder; server, identity and runtime are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Waits for the end: the server finished the federation, refused this client, or {@link #close()}. */
  public Outcome await() throws InterruptedException {
    try {
      return outcome.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** As {@link #await()}, giving up after {@code timeout}. */
  public Optional<Outcome> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Whether the server has accepted the current connection. */
  public boolean isConnected() {
    Attempt a = current;
    return a != null && a.welcomed;
  }

  /** How many times the server accepted a connection from this connector. */
  public int connections() {
    return connections.get();
  }

  /** How many of the server's requests this connector has answered (errors it reported included). */
  public int requestsAnswered() {
    return answered.get();
  }

  /** The last connection error, or an empty string. */
  public String lastError() {
    return lastError;
  }

  /** Bytes sent to and received from the server, across connections. */
  public Traffic traffic() {
    return new Traffic(sent.get(), received.get());
  }

  /** Stops at once: the connection is dropped without goodbye, as a killed process would. */
  @Override
  public void close() {
    closing = true;
    Attempt a = current;
    if (a != null) {
      a.channel.shutdownNow();
    }
    loop.interrupt();
    worker.shutdownNow();
    outcome.complete(Outcome.CLOSED);
  }

  private void run() {
    long delay = config.initialBackoff.toMillis();
    int refusals = 0;
    while (!closing) {
      Attempt a = new Attempt();
      current = a;
      Status end = a.run();
      if (a.finished) {
        LOG.log(System.Logger.Level.INFO, "{0}: the server finished the federation", config.identity.name());
        outcome.complete(Outcome.FINISHED);
        break;
      }
      if (closing) {
        break;
      }
      lastError = end.getCode() + (end.getDescription() == null ? "" : ": " + end.getDescription())
          + (end.getCause() == null ? "" : " (" + end.getCause() + ")");
      if (a.welcomed) {
        delay = config.initialBackoff.toMillis();
        refusals = 0;
      }
      if (isRefusal(end)) {
        refusals++;
        LOG.log(System.Logger.Level.WARNING, "{0}: the server refused this client: {1}", config.identity.name(), lastError);
        if (refusals >= config.refusalLimit) {
          outcome.complete(Outcome.REFUSED);
          break;
        }
      } else {
        LOG.log(System.Logger.Level.INFO, "{0}: connection ended ({1}); reconnecting", config.identity.name(), lastError);
      }
      long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
      try {
        Thread.sleep(jittered);
      } catch (InterruptedException e) {
        break;
      }
      delay = Math.min(config.maxBackoff.toMillis(), delay * 2);
    }
    outcome.complete(Outcome.CLOSED);
  }

  private static boolean isRefusal(Status s) {
    if (s.getCode() == Status.Code.PERMISSION_DENIED || s.getCode() == Status.Code.UNAUTHENTICATED) {
      return true;
    }
    for (Throwable t = s.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /** One connection and its stream. */
  private final class Attempt implements ClientResponseObserver<ClientFrame, ServerFrame> {
    final ManagedChannel channel = NettyChannelBuilder.forAddress(config.host, config.port, credentials)
        .maxInboundMessageSize(Math.max(4 << 20, 2 * config.chunkBytes + (64 << 10)))
        .flowControlWindow(GrpcServerTransport.FLOW_CONTROL_WINDOW)
        .build();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final Chunking.Assembler assembler = new Chunking.Assembler(config.maxMessageBytes);
    volatile Outbound<ClientFrame> out;
    volatile ClientCallStreamObserver<ClientFrame> requests;
    volatile boolean welcomed;
    volatile boolean finished;
    volatile long lastSeenNanos = System.nanoTime();
    volatile long silenceLimitNanos = TimeUnit.SECONDS.toNanos(60);
    volatile String name = config.identity.name();
    volatile ScheduledFuture<?> beats;

    Status run() {
      try {
        FederationGrpc.newStub(channel).withOnReadyThreshold(2 * config.chunkBytes).join(this);
        out.send(ClientFrame.newBuilder().setHello(Hello.newBuilder().setProtocol(1)).build());
        while (true) {
          try {
            return ended.get(1, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            if (welcomed && System.nanoTime() - lastSeenNanos > silenceLimitNanos) {
              requests.cancel("server silent", null);
              return Status.UNAVAILABLE.withDescription("the server sent nothing for "
                  + TimeUnit.NANOSECONDS.toMillis(silenceLimitNanos) + " ms");
            }
          }
        }
      } catch (InterruptedException e) {
        return Status.CANCELLED.withDescription("interrupted");
      } catch (java.util.concurrent.ExecutionException e) {
        return Status.fromThrowable(e.getCause());
      } catch (RuntimeException e) {
        return Status.fromThrowable(e);
      } finally {
        if (beats != null) {
          beats.cancel(false);
        }
        if (out != null) {
          out.abandon();
        }
        channel.shutdownNow();
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ClientFrame> stream) {
      requests = stream;
      out = new Outbound<>(stream, sent);
      stream.setOnReadyHandler(() -> out.drain());
    }

    @Override
    public void onNext(ServerFrame f) {
      lastSeenNanos = System.nanoTime();
      received.addAndGet(f.getSerializedSize() + 5L);
      try {
        switch (f.getKindCase()) {
          case WELCOME -> welcome(f.getWelcome());
          case START -> handle(assembler.start(f.getStart()));
          case CHUNK -> handle(assembler.chunk(f.getChunk()));
          case HEARTBEAT -> { }
          case SHUTDOWN -> {
            finished = true;
            out.finish(null);
          }
          default -> throw new Chunking.ProtocolException("unknown frame from the server");
        }
      } catch (Chunking.ProtocolException e) {
        requests.cancel("protocol violation: " + e.getMessage(), null);
      }
    }

    private void welcome(dev.cohort.grpc.proto.Welcome w) {
      name = w.getClient();
      long hb = Math.max(50, w.getHeartbeatIntervalMs());
      silenceLimitNanos = TimeUnit.MILLISECONDS.toNanos(hb * 4);
      ClientFrame beat = ClientFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder()).build();
      beats = TIMER.scheduleAtFixedRate(() -> {
        if (out.queued() == 0) {
          out.send(beat);
        }
      }, hb, hb, TimeUnit.MILLISECONDS);
      welcomed = true;
      connections.incrementAndGet();
      LOG.log(System.Logger.Level.INFO, "{0}: connected to {1}:{2}", name, config.host, String.valueOf(config.port));
    }

    private void handle(Chunking.Result r) {
      if (r instanceof Chunking.Complete c) {
        worker.execute(() -> serve(c));
      } else if (r instanceof Chunking.Oversized o) {
        worker.execute(() -> refuse(o.header(), "request of " + o.payloadSize() + " bytes exceeds this client's limit of "
            + o.limit() + " bytes", false));
      }
    }

    private void refuse(byte[] headerBytes, String reason, boolean clientError) {
      try {
        Header h = config.codec.decodeHeader(headerBytes);
        refuse(h.messageId(), reason, clientError);
      } catch (CodecException e) {
        requests.cancel("undecodable request header: " + e.getMessage(), null);
      }
    }

    private void refuse(long messageId, String reason, boolean clientError) {
      LOG.log(System.Logger.Level.WARNING, "{0}: refusing request {1}: {2}", name, messageId, reason);
      out.send(ClientFrame.newBuilder().setRefusal(Refusal.newBuilder().setMessageId(messageId).setReason(reason)
          .setClientError(clientError)).build());
    }

    private void serve(Chunking.Complete c) {
      Header h;
      try {
        h = config.codec.decodeHeader(c.header());
      } catch (CodecException e) {
        requests.cancel("undecodable request header: " + e.getMessage(), null);
        return;
      }
      if (!h.client().value().equals(name)) {
        refuse(h.messageId(), "request addressed to " + h.client() + " reached " + name, false);
        return;
      }
      Payload payload;
      try {
        payload = config.codec.decodePayload(c.payload());
      } catch (CodecException e) {
        refuse(h.messageId(), "malformed request: " + e.getMessage(), false);
        return;
      }
      Message reply;
      byte[] bytes;
      try {
        reply = config.runtime.handle(new Message(h, payload), new ClientContext(h.client(), h.runId(), h.round()));
        bytes = config.codec.encodePayload(reply.payload());
      } catch (RuntimeException e) {
        refuse(h.messageId(), e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        return;
      }
      var data = Chunking.wrap(bytes);
      List<ClientFrame> frames = new ArrayList<>();
      frames.add(ClientFrame.newBuilder().setStart(Chunking.start(config.codec.encodeHeader(reply.header()), data.size()))
          .build());
      for (var chunk : Chunking.chunks(data, config.chunkBytes)) {
        frames.add(ClientFrame.newBuilder().setChunk(chunk).build());
      }
      out.send(frames);
      answered.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK.withDescription("the server closed the stream"));
    }
  }

  /** Settings of a {@link GrpcClientConnector}. Not thread-safe. */
  public static final class Builder {
    private String host;
    private int port;
    private TlsIdentity identity;
    private ClientRuntime runtime;
    private PayloadCodec codec = PayloadCodec.shared();
    private long maxMessageBytes = 1L << 30;
    private int chunkBytes = Chunking.DEFAULT_CHUNK_BYTES;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int refusalLimit = 3;

    private Builder() {}

    /** The server's address (a name its certificate carries). */
    public Builder server(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in [1, 65535] but was " + port);
      }
      this.port = port;
      return this;
    }

    /** This client's certificate, key and trusted CAs; the certificate's name is the client's id. */
    public Builder identity(TlsIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** What answers the requests. */
    public Builder runtime(ClientRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      return this;
    }

    /** The codec; default {@link PayloadCodec#shared()}. */
    public Builder codec(PayloadCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** The largest encoded request accepted; larger ones are refused (the server records REJECTED). Default 1 GiB. */
    public Builder maxMessageBytes(long bytes) {
      if (bytes < 1 || bytes > Chunking.ABSOLUTE_MAX_PAYLOAD) {
        throw new IllegalArgumentException("maxMessageBytes must be in [1, " + Chunking.ABSOLUTE_MAX_PAYLOAD
            + "] but was " + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /** The size of the chunks replies are cut into. Default 1 MiB. */
    public Builder chunkBytes(int bytes) {
      if (bytes < 1024 || bytes > (16 << 20)) {
        throw new IllegalArgumentException("chunkBytes must be in [1 KiB, 16 MiB] but was " + bytes);
      }
      this.chunkBytes = bytes;
      return this;
    }

    /** Reconnection delays: the first, doubling (with jitter) up to the maximum. Default 0.5 s to 30 s. */
    public Builder backoff(Duration initial, Duration max) {
      if (initial.toMillis() < 1 || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 1 ms <= initial <= max but got " + initial + " and " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** How many refusals in a row (identity or TLS errors) end the connector with REFUSED. Default 3. */
    public Builder refusalLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("refusalLimit must be >= 1 but was " + limit);
      }
      this.refusalLimit = limit;
      return this;
    }

    /** Starts connecting in the background. */
    public GrpcClientConnector start() {
      if (host == null) {
        throw new IllegalStateException("server(host, port) is required");
      }
      if (identity == null) {
        throw new IllegalStateException("identity(...) is required: mutual TLS needs this client's certificate");
      }
      if (runtime == null) {
        throw new IllegalStateException("runtime(...) is required");
      }
      GrpcClientConnector c = new GrpcClientConnector(this);
      c.loop.start();
      return c;
    }
  }
}
