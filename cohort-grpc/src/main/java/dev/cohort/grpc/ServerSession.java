package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.grpc.proto.ClientFrame;
import dev.cohort.grpc.proto.ServerFrame;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's end of one client's stream: reassembles the client's frames into replies, keeps
 * the requests waiting on this client, and fails them all as DISCONNECTED when the stream ends.
 */
final class ServerSession implements StreamObserver<ClientFrame> {
  /** What a session reports to its transport. */
  interface Owner {
    /** The client said hello: make this its current session (replacing an older one). */
    void register(ServerSession session);

    /** The session ended. */
    void unregister(ServerSession session);

    /** A whole reply (or an oversized one, with {@code payload} null) arrived. */
    void onMessage(ServerSession session, Chunking.Result message);
  }

  final ClientId client;
  final X509Certificate certificate;
  final Outbound<ServerFrame> out;
  private final Owner owner;
  private final AtomicLong received;
  private final Chunking.Assembler assembler;
  private final Map<Long, Exchange.Pending> pending = new HashMap<>();
  private volatile long lastSeenNanos = System.nanoTime();
  private boolean welcomed;
  private boolean closed;

  ServerSession(ClientId client, X509Certificate certificate, Outbound<ServerFrame> out, Owner owner,
      AtomicLong received, long maxPayload) {
    this.client = client;
    this.certificate = certificate;
    this.out = out;
    this.owner = owner;
    this.received = received;
    this.assembler = new Chunking.Assembler(maxPayload);
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  @Override
  public void onNext(ClientFrame f) {
    lastSeenNanos = System.nanoTime();
    received.addAndGet(f.getSerializedSize() + 5L);
    try {
      switch (f.getKindCase()) {
        case HELLO -> {
          if (welcomed) {
            throw new Chunking.ProtocolException("said hello twice");
          }
          welcomed = true;
          owner.register(this);
        }
        case START -> {
          requireWelcomed();
          Chunking.Result r = assembler.start(f.getStart());
          if (!(r instanceof Chunking.Incomplete)) {
            owner.onMessage(this, r);
          }
        }
        case CHUNK -> {
          requireWelcomed();
          Chunking.Result r = assembler.chunk(f.getChunk());
          if (!(r instanceof Chunking.Incomplete)) {
            owner.onMessage(this, r);
          }
        }
        case HEARTBEAT -> { }
        case REFUSAL -> {
          Exchange.Pending p = take(f.getRefusal().getMessageId());
          if (p != null) {
            p.fail(f.getRefusal().getClientError() ? ClientFailure.Kind.CLIENT_ERROR : ClientFailure.Kind.REJECTED,
                "client refused the request: " + f.getRefusal().getReason());
          }
        }
        default -> throw new Chunking.ProtocolException("sent an unknown frame");
      }
    } catch (Chunking.ProtocolException e) {
      close("protocol violation: " + e.getMessage(), Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    }
  }

  private void requireWelcomed() throws Chunking.ProtocolException {
    if (!welcomed) {
      throw new Chunking.ProtocolException("sent a message before saying hello");
    }
  }

  @Override
  public void onError(Throwable t) {
    close("connection lost (" + Status.fromThrowable(t).getCode() + ")", null);
  }

  @Override
  public void onCompleted() {
    close("client closed its stream", null);
    out.finish(null);
  }

  /** Adds a request waiting for a reply; false if the session has ended. */
  synchronized boolean addPending(Exchange.Pending p) {
    if (closed) {
      return false;
    }
    pending.put(p.id(), p);
    return true;
  }

  /** Removes and returns the request {@code id}, or null if it is no longer waiting here. */
  synchronized Exchange.Pending take(long id) {
    return pending.remove(id);
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Ends the session: every waiting request fails as DISCONNECTED with {@code reason}; with a
   * {@code status} the stream is cancelled towards the client too.
   */
  void close(String reason, Status status) {
    List<Exchange.Pending> orphans;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      orphans = new ArrayList<>(pending.values());
      pending.clear();
    }
    owner.unregister(this); // first, so that whoever learns of the failures no longer sees the client
    for (Exchange.Pending p : orphans) {
      p.fail(ClientFailure.Kind.DISCONNECTED, reason);
    }
    if (status != null) {
      out.fail(status);
    }
  }

  /** Ends the session as the federation finishes: tells the client to exit. */
  void finish(String reason) {
    List<Exchange.Pending> orphans;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      orphans = new ArrayList<>(pending.values());
      pending.clear();
    }
    owner.unregister(this);
    for (Exchange.Pending p : orphans) {
      p.fail(ClientFailure.Kind.DISCONNECTED, "server shutting down");
    }
    out.finish(ServerFrame.newBuilder().setShutdown(dev.cohort.grpc.proto.Shutdown.newBuilder().setReason(reason)).build());
  }
}
