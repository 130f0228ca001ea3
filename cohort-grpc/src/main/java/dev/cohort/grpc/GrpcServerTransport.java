package dev.cohort.grpc;

import com.google.protobuf.ByteString;
import dev.cohort.core.ClientId;
import dev.cohort.core.message.Header;
import dev.cohort.core.message.Message;
import dev.cohort.core.message.Payload;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.core.transport.Transport;
import dev.cohort.grpc.proto.FederationGrpc;
import dev.cohort.grpc.proto.Heartbeat;
import dev.cohort.grpc.proto.ServerFrame;
import dev.cohort.grpc.proto.Welcome;
import dev.cohort.pki.FederationPki;
import dev.cohort.pki.FederationTrustManager;
import dev.cohort.pki.ReloadableKeyManager;
import dev.cohort.pki.TlsIdentity;
import dev.cohort.pki.TrustSnapshot;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of the deployment transport. Clients dial in over mutual TLS and keep one
 * stream open; {@link #exchange} pushes requests down those streams in chunks and collects the
 * replies, with the same contract as the simulation's in-process transport: exactly one listener
 * call per request, never concurrent; TIMEOUT for what is still outstanding at the deadline;
 * DISCONNECTED for requests to clients that are gone or whose heartbeats stop and that do not
 * reconnect within the {@linkplain Builder#rejoinGrace rejoin grace}; REJECTED for
 * replies that are oversized, malformed or not an answer to the request.
 *
 * <pre>{@code
 * GrpcServerTransport server = GrpcServerTransport.builder()
 *     .listen("0.0.0.0", 7443)
 *     .pki(FederationPki.open(dir), "server")
 *     .start();
 * server.awaitClients(3, Duration.ofMinutes(5));
 * new Coordinator(..., server, ...).run();
 * server.close();   // tells the clients the federation finished
 * }</pre>
 *
 * <p>A client's identity is its certificate's common name; it must be enrolled, unrevoked and
 * signed by a CA of the trust bundle. The PKI directory is polled, so revocations, enrolments
 * and CA rotations apply without a restart (or at once on {@link #reloadTrust()}). Thread-safe.
 */
public final class GrpcServerTransport implements Transport {
  private static final System.Logger LOG = System.getLogger(GrpcServerTransport.class.getName());
  /** HTTP/2 flow-control window per stream: large enough to keep several chunks in flight on fast links. */
  static final int FLOW_CONTROL_WINDOW = 8 << 20;

  private final Builder config;
  private final FederationPki pki;
  private final FederationTrustManager trust;
  private final ReloadableKeyManager identity;
  private final Server server;
  private final ScheduledExecutorService timer;
  private final Map<ClientId, ServerSession> sessions = new ConcurrentHashMap<>();
  private final ReplyBudget budget;
  private final Rejoins rejoins;
  private final AtomicLong spilled = new AtomicLong();
  private final Map<ClientId, AtomicLong[]> traffic = new ConcurrentHashMap<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final Object sessionsChanged = new Object();
  private volatile String pkiFingerprint;

  private GrpcServerTransport(Builder b) throws IOException {
    this.config = b;
    this.pki = b.pki;
    this.budget = new ReplyBudget(b.replyBufferBytes);
    this.rejoins = new Rejoins(b.rejoinGrace);
    TlsIdentity id = pki.identity(b.serverName);
    this.trust = new FederationTrustManager(pki.trust(), this::refused);
    this.pkiFingerprint = fingerprint();
    this.identity = new ReloadableKeyManager(id);
    TlsServerCredentials creds = (TlsServerCredentials) TlsServerCredentials.newBuilder()
        .keyManager(identity)
        .trustManager(trust)
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
    Service service = new Service();
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(b.host, b.port), creds)
        .addService(ServerInterceptors.intercept(service, new PeerIdentityInterceptor(trust::snapshot, this::pollTrust, this::refused)))
        .maxInboundMessageSize(Math.max(4 << 20, 2 * b.chunkBytes + (64 << 10)))
        .flowControlWindow(FLOW_CONTROL_WINDOW)
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .build()
        .start();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cohort-grpc-server-timer");
      t.setDaemon(true);
      return t;
    });
    long hb = b.heartbeatInterval.toMillis();
    timer.scheduleAtFixedRate(this::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(rejoins::expire, 100, 100, TimeUnit.MILLISECONDS);
    long poll = b.trustPollInterval.toMillis();
    if (poll > 0) {
      timer.scheduleWithFixedDelay(this::pollTrust, poll, poll, TimeUnit.MILLISECONDS);
    }
    LOG.log(System.Logger.Level.INFO, "federation server listening on {0}:{1} (mutual TLS, CAs {2})",
        b.host, String.valueOf(port()), trust.snapshot().cas().size());
  }

  /** A builder; {@link Builder#pki} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port listened on (useful after binding port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
  }

  @Override
  public List<ClientId> availableClients() {
    List<ClientId> out = new ArrayList<>(new TreeMap<>(sessions).keySet());
    return List.copyOf(out);
  }

  /** Waits until at least {@code n} clients are available; false on timeout. */
  public boolean awaitClients(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (sessionsChanged) {
      while (sessions.size() < n) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(sessionsChanged, wait);
      }
      return true;
    }
  }

  /** Bytes sent to and received from each client that ever connected, since start. */
  public Map<ClientId, Traffic> traffic() {
    Map<ClientId, Traffic> out = new TreeMap<>();
    traffic.forEach((c, a) -> out.put(c, new Traffic(a[0].get(), a[1].get())));
    return out;
  }

  /**
   * The most reply bytes held at once since start (being reassembled, decoded or waiting for the
   * listener); bounded by {@link Builder#replyBufferBytes} unless a single reply is larger.
   */
  public long peakBufferedReplyBytes() {
    return budget.peak();
  }

  /** Reply bytes held now. */
  public long bufferedReplyBytes() {
    return budget.used();
  }

  /** Connections refused since start, newest last, each with its reason (also logged). */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  /**
   * Re-reads the trust bundle, revocations, enrolments and the server's own certificate and key
   * now; connected clients that are no longer trusted are disconnected, and new handshakes
   * present the server's current certificate (renewed, e.g. onto a rotated CA).
   */
  public synchronized void reloadTrust() {
    String seen = fingerprint(); // before reading: a change made while reading triggers another reload
    TrustSnapshot t = pki.trust();
    trust.update(t);
    identity.reload();
    pkiFingerprint = seen;
    for (ServerSession s : sessions.values()) {
      String why = t.isRevoked(s.certificate) ? "its certificate was revoked"
          : !t.isEnrolled(s.client.value()) ? "it is no longer enrolled"
          : !PeerIdentityInterceptor.signedByAny(s.certificate, t) ? "its CA is no longer trusted" : null;
      if (why != null) {
        refused("client '" + s.client + "' disconnected: " + why);
        s.closeForGood("disconnected: " + why, Status.PERMISSION_DENIED.withDescription(why));
      }
    }
    LOG.log(System.Logger.Level.INFO, "trust reloaded: {0} CAs, {1} revoked serials, {2} enrolled clients",
        t.cas().size(), t.revokedSerials().size(), t.enrolled().size());
  }

  private synchronized void pollTrust() {
    try {
      if (!fingerprint().equals(pkiFingerprint)) {
        reloadTrust();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot reload trust from " + pki.dir() + "; keeping the previous one", e);
    }
  }

  private String fingerprint() {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of("ca-bundle.crt", "revoked.txt", "enrolled.txt", config.serverName + ".crt",
        config.serverName + ".key")) {
      Path p = pki.dir().resolve(f);
      try {
        if (Files.exists(p)) {
          // files are replaced by atomic renames, so the file key (inode) changes with every write
          var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
          sb.append(f).append(attrs.fileKey()).append(attrs.lastModifiedTime().toMillis()).append(':').append(attrs.size());
        }
        sb.append(';');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sb.toString();
  }

  private void refused(String reason) {
    refusals.add(reason);
    LOG.log(System.Logger.Level.WARNING, "refused: {0}", reason);
  }

  /* --- exchange --- */

  @Override
  public void exchange(List<Message> requests, Duration timeout, ReplyListener listener) throws InterruptedException {
    Objects.requireNonNull(listener, "listener");
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Payload, byte[]> encoded = new IdentityHashMap<>();
    for (Message m : requests) {
      if (!encoded.containsKey(m.payload())) {
        encoded.put(m.payload(), config.codec.encodePayload(m.payload())); // fails before anything is sent
      }
    }
    Map<Payload, ByteString> wrapped = new IdentityHashMap<>();
    encoded.forEach((p, b) -> wrapped.put(p, Chunking.wrap(b)));
    Exchange ex = new Exchange(deadline);
    List<Exchange.Pending> placed = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      Message m = requests.get(i);
      Exchange.Pending p = new Exchange.Pending(m, i, ex);
      placed.add(p);
      ServerSession s = sessions.get(m.header().client());
      if (s == null || !s.addPending(p)) {
        if (traffic.containsKey(m.header().client())) {
          rejoins.park(p, "client is not connected");
        } else {
          p.fail(ClientFailure.Kind.DISCONNECTED, "client is not connected (it never connected)");
        }
        continue;
      }
      send(s, m, wrapped.get(m.payload()));
    }
    encoded.clear();
    wrapped.clear();
    HeldReplies held = config.ordered ? new HeldReplies(config.codec, config.heldReplyBytes, config.spillDir) : null;
    try {
      ex.collect(requests, placed, this::withdraw, timeout, held, listener);
    } finally {
      if (held != null) {
        spilled.addAndGet(held.spilled());
      }
    }
  }

  /** Replies that waited for their turn on disk rather than in memory, since start (request-order delivery). */
  public long spilledReplies() {
    return spilled.get();
  }

  /** Sends {@code m} with its encoded, wrapped payload down {@code s} in chunks. */
  private void send(ServerSession s, Message m, ByteString payload) {
    List<ServerFrame> frames = new ArrayList<>();
    frames.add(ServerFrame.newBuilder()
        .setStart(Chunking.start(config.codec.encodeHeader(m.header()), payload.size())).build());
    for (var c : Chunking.chunks(payload, config.chunkBytes)) {
      frames.add(ServerFrame.newBuilder().setChunk(c).build());
    }
    if (!s.out.send(frames)) {
      s.close("connection lost while sending", null);
    }
  }

  /** Takes {@code p} back from wherever it waits (parked for its client, or on its client's session). */
  private boolean withdraw(Exchange.Pending p) {
    if (rejoins.withdraw(p)) {
      return true;
    }
    ServerSession s = sessions.get(p.client());
    return s != null && s.take(p.id()) != null;
  }

  /* --- sessions --- */

  private final ServerSession.Owner owner = new ServerSession.Owner() {
    @Override
    public void register(ServerSession s) {
      ServerSession old = sessions.put(s.client, s);
      if (old != null && old != s) {
        old.close("replaced by a new connection from the same client", Status.ALREADY_EXISTS
            .withDescription("replaced by a new connection from the same client"));
      }
      s.out.send(ServerFrame.newBuilder().setWelcome(Welcome.newBuilder().setClient(s.client.value())
          .setHeartbeatIntervalMs(config.heartbeatInterval.toMillis()).setMaxMessageBytes(config.maxMessageBytes)).build());
      LOG.log(System.Logger.Level.INFO, "client {0} connected", s.client);
      for (Exchange.Pending p : rejoins.claim(s.client, s::addPending)) {
        LOG.log(System.Logger.Level.INFO, "client {0} reconnected in time: sending it request {1} again",
            s.client, p.id());
        send(s, p.request(), Chunking.wrap(config.codec.encodePayload(p.request().payload())));
      }
      synchronized (sessionsChanged) {
        sessionsChanged.notifyAll();
      }
    }

    @Override
    public void unregister(ServerSession s) {
      if (sessions.remove(s.client, s)) {
        LOG.log(System.Logger.Level.INFO, "client {0} disconnected", s.client);
        synchronized (sessionsChanged) {
          sessionsChanged.notifyAll();
        }
      }
    }

    @Override
    public void orphaned(Exchange.Pending request, String reason) {
      rejoins.park(request, reason);
    }

    @Override
    public void onMessage(ServerSession s, Chunking.Result r, Runnable release) {
      byte[] headerBytes = r instanceof Chunking.Complete c ? c.header() : ((Chunking.Oversized) r).header();
      Header h;
      try {
        h = config.codec.decodeHeader(headerBytes);
      } catch (CodecException e) {
        release.run();
        s.close("sent an undecodable message header: " + e.getMessage(),
            Status.INVALID_ARGUMENT.withDescription("undecodable message header"));
        return;
      }
      Exchange.Pending p = s.take(h.replyTo());
      if (p == null || !(r instanceof Chunking.Complete)) {
        release.run();
      }
      if (p == null) {
        LOG.log(System.Logger.Level.DEBUG, "dropping a late or unsolicited reply from {0} to message {1}",
            s.client, h.replyTo());
        return;
      }
      if (r instanceof Chunking.Oversized o) {
        p.fail(ClientFailure.Kind.REJECTED, "reply of " + o.payloadSize() + " bytes exceeds the limit of "
            + o.limit() + " bytes");
        return;
      }
      Message request = p.request();
      if (!h.client().equals(s.client) || !h.runId().equals(request.header().runId())
          || h.round() != request.header().round()) {
        release.run();
        p.fail(ClientFailure.Kind.REJECTED, "reply header " + h + " does not match request " + request.header()
            + " from client " + s.client);
        return;
      }
      Payload payload;
      try {
        payload = config.codec.decodePayload(((Chunking.Complete) r).payload());
      } catch (CodecException e) {
        release.run();
        p.fail(ClientFailure.Kind.REJECTED, "malformed reply: " + e.getMessage());
        return;
      }
      p.reply(new Message(h, payload), release, ((Chunking.Complete) r).payload().length);
    }
  };

  private AtomicLong[] counters(ClientId c) {
    return traffic.computeIfAbsent(c, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
  }

  private final class Service extends FederationGrpc.FederationImplBase {
    @Override
    public StreamObserver<dev.cohort.grpc.proto.ClientFrame> join(StreamObserver<ServerFrame> responses) {
      PeerIdentityInterceptor.Peer peer = PeerIdentityInterceptor.PEER.get();
      ServerCallStreamObserver<ServerFrame> call = (ServerCallStreamObserver<ServerFrame>) responses;
      AtomicLong[] c = counters(peer.client());
      call.disableAutoRequest();
      Outbound<ServerFrame> out = new Outbound<>(call, c[0]);
      ServerSession s = new ServerSession(peer.client(), peer.certificate(), call, out, owner, c[1],
          config.maxMessageBytes, budget);
      call.setOnReadyThreshold(2 * config.chunkBytes); // keep two chunks in flight, not gRPC's default 32 KiB
      call.setOnReadyHandler(out::drain);
      call.setOnCancelHandler(() -> {
        out.abandon();
        s.close("connection lost (cancelled)", null);
      });
      call.request(1);
      return s;
    }
  }

  private void heartbeat() {
    long now = System.nanoTime();
    ServerFrame beat = ServerFrame.newBuilder()
        .setHeartbeat(Heartbeat.newBuilder().setSentAtMs(System.currentTimeMillis())).build();
    for (ServerSession s : sessions.values()) {
      long silent = now - s.lastSeenNanos();
      if (silent > config.heartbeatTimeout.toNanos()) {
        LOG.log(System.Logger.Level.WARNING, "client {0} sent nothing for {1} ms; dropping it", s.client,
            TimeUnit.NANOSECONDS.toMillis(silent));
        s.close("no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms",
            Status.UNAVAILABLE.withDescription("heartbeat lost"));
      } else if (s.out.queued() == 0) {
        s.out.send(beat);
      }
    }
  }

  /* --- shutdown --- */

  /**
   * Ends the federation: tells every client it finished (so they exit), then shuts the server
   * down gracefully, waiting a few seconds for streams to close.
   */
  @Override
  public void close() {
    for (ServerSession s : List.copyOf(sessions.values())) {
      s.finish("federation finished");
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }

  /**
   * Stops at once without telling clients the federation finished, as a crash would: clients
   * keep reconnecting until a server is back on the same address.
   */
  public void shutdownNow() {
    server.shutdownNow();
    for (ServerSession s : List.copyOf(sessions.values())) {
      s.close("server stopped", null);
    }
    timer.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Settings of a {@link GrpcServerTransport}. Not thread-safe. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 7443;
    private FederationPki pki;
    private String serverName = "server";
    private PayloadCodec codec = PayloadCodec.shared();
    private long maxMessageBytes = 1L << 30;
    private int chunkBytes = Chunking.DEFAULT_CHUNK_BYTES;
    private Duration heartbeatInterval = Duration.ofSeconds(5);
    private Duration heartbeatTimeout = Duration.ofSeconds(20);
    private Duration trustPollInterval = Duration.ofSeconds(2);
    private boolean ordered;
    private long replyBufferBytes = 256L << 20;
    private long heldReplyBytes = 64L << 20;
    private Duration rejoinGrace = Duration.ofSeconds(30);
    private Path spillDir;

    private Builder() {}

    /**
     * With {@link #deliverInRequestOrder}: the reply bytes kept in memory while they wait for
     * their turn; later early replies wait in a temporary file in {@code dir} (null: the system's
     * temporary directory), deleted when the exchange ends. Default 64 MiB.
     */
    public Builder holdEarlyReplies(long bytes, Path dir) {
      if (bytes < 0) {
        throw new IllegalArgumentException("held reply bytes must be >= 0 but was " + bytes);
      }
      this.heldReplyBytes = bytes;
      this.spillDir = dir;
      return this;
    }

    /**
     * The most reply bytes the server holds at once across clients (being received, decoded, or
     * waiting for the listener); further replies wait, their senders paused by flow control, so
     * memory stays bounded however many clients upload together. A single larger reply is let
     * through alone. Default 256 MiB.
     */
    public Builder replyBufferBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("replyBufferBytes must be >= 1 but was " + bytes);
      }
      this.replyBufferBytes = bytes;
      return this;
    }

    /**
     * How long a request waits for its client to reconnect when the client is not connected or
     * loses its connection mid-round (within the round's deadline): a client that restarts in time
     * is sent the request again and takes part in the current round. Zero fails such requests at
     * once. Default 30 s.
     */
    public Builder rejoinGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("rejoin grace must be >= 0 but was " + grace);
      }
      this.rejoinGrace = grace;
      return this;
    }

    /** The address to listen on; port 0 picks a free port. Default 0.0.0.0:7443. */
    public Builder listen(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
      }
      this.port = port;
      return this;
    }

    /** The federation PKI whose certificate {@code serverName} the server presents and whose trust it applies. */
    public Builder pki(FederationPki pki, String serverName) {
      this.pki = Objects.requireNonNull(pki, "pki");
      this.serverName = Objects.requireNonNull(serverName, "serverName");
      return this;
    }

    /** The codec; default {@link PayloadCodec#shared()}. */
    public Builder codec(PayloadCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** The largest encoded reply payload accepted; larger replies are REJECTED. Default 1 GiB. */
    public Builder maxMessageBytes(long bytes) {
      if (bytes < 1 || bytes > Chunking.ABSOLUTE_MAX_PAYLOAD) {
        throw new IllegalArgumentException("maxMessageBytes must be in [1, " + Chunking.ABSOLUTE_MAX_PAYLOAD
            + "] but was " + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /** The size of the chunks messages are cut into. Default 1 MiB. */
    public Builder chunkBytes(int bytes) {
      if (bytes < 1024 || bytes > (16 << 20)) {
        throw new IllegalArgumentException("chunkBytes must be in [1 KiB, 16 MiB] but was " + bytes);
      }
      this.chunkBytes = bytes;
      return this;
    }

    /** How often both sides send heartbeats, and how long silence lasts before a client is dropped. */
    public Builder heartbeat(Duration interval, Duration timeout) {
      if (interval.isNegative() || interval.isZero() || timeout.compareTo(interval) <= 0) {
        throw new IllegalArgumentException("heartbeat interval must be > 0 and timeout longer than it, but were "
            + interval + " and " + timeout);
      }
      this.heartbeatInterval = interval;
      this.heartbeatTimeout = timeout;
      return this;
    }

    /** How often the PKI directory is checked for changes; zero disables polling. Default 2 s. */
    public Builder trustPollInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("trust poll interval must be >= 0 but was " + interval);
      }
      this.trustPollInterval = interval;
      return this;
    }

    /**
     * Whether replies reach the listener in request order (reproducible floating-point
     * aggregation, at the cost of holding early replies: in memory up to
     * {@link #holdEarlyReplies}, on disk beyond) instead of as they arrive (default).
     */
    public Builder deliverInRequestOrder(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    /** Binds and starts the server. */
    public GrpcServerTransport start() throws IOException {
      if (pki == null) {
        throw new IllegalStateException("pki(...) is required: mutual TLS needs the federation's certificates");
      }
      return new GrpcServerTransport(this);
    }
  }
}
