package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.grpc.proto.ClientFrame;
import dev.cohort.grpc.proto.ServerFrame;
import dev.cohort.grpc.proto.Start;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's end of one client's stream: reassembles the client's frames into replies, keeps
 * the requests waiting on this client, and hands them back to its owner when the stream ends.
 *
 * <p>Frames are read one at a time (manual gRPC flow control). Before a reply's payload is
 * buffered its size is reserved in the server's {@link ReplyBudget}; if it does not fit, the
 * stream stops reading, which stops the client sending, until other replies are consumed.
 */
final class ServerSession implements StreamObserver<ClientFrame> {
  /** What a session reports to its transport. */
  interface Owner {
    /** The client said hello: make this its current session (replacing an older one). */
    void register(ServerSession session);

    /** The session ended. */
    void unregister(ServerSession session);

    /**
     * A whole reply (or an oversized one) arrived; {@code release} frees its share of the reply
     * budget and must be run exactly once, when the reply is no longer held.
     */
    void onMessage(ServerSession session, Chunking.Result message, Runnable release);

    /** The session ended while {@code request} waited on it: fail it, or keep it for the client to reconnect. */
    void orphaned(Exchange.Pending request, String reason);
  }

  private static final Runnable NOTHING = () -> {};

  final ClientId client;
  final X509Certificate certificate;
  final Outbound<ServerFrame> out;
  private final ServerCallStreamObserver<ServerFrame> call;
  private final Owner owner;
  private final AtomicLong received;
  private final ReplyBudget budget;
  private final long maxPayload;
  private final Chunking.Assembler assembler;
  private final Map<Long, Exchange.Pending> pending = new HashMap<>();
  private volatile long lastSeenNanos = System.nanoTime();
  private volatile boolean paused;
  private boolean welcomed;
  private boolean closed;
  private long reserved;
  private ReplyBudget.Ticket ticket;
  private Start pausedStart;

  ServerSession(ClientId client, X509Certificate certificate, ServerCallStreamObserver<ServerFrame> call,
      Outbound<ServerFrame> out, Owner owner, AtomicLong received, long maxPayload, ReplyBudget budget) {
    this.client = client;
    this.certificate = certificate;
    this.call = call;
    this.out = out;
    this.owner = owner;
    this.received = received;
    this.maxPayload = Math.min(maxPayload, Chunking.ABSOLUTE_MAX_PAYLOAD);
    this.budget = budget;
    this.assembler = new Chunking.Assembler(maxPayload);
  }

  /** When the client was last heard from; a stream paused by the server counts as heard from now. */
  long lastSeenNanos() {
    return paused ? System.nanoTime() : lastSeenNanos;
  }

  @Override
  public void onNext(ClientFrame f) {
    lastSeenNanos = System.nanoTime();
    received.addAndGet(f.getSerializedSize() + 5L);
    boolean readOn = true;
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
          readOn = start(f.getStart());
        }
        case CHUNK -> {
          requireWelcomed();
          Chunking.Result r = assembler.chunk(f.getChunk());
          if (r instanceof Chunking.Complete) {
            long bytes;
            synchronized (this) {
              bytes = reserved;
              reserved = 0;
            }
            owner.onMessage(this, r, bytes == 0 ? NOTHING : () -> budget.release(bytes));
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
      return;
    }
    if (readOn) {
      requestNext();
    }
  }

  /** Begins a reply; false if it must wait for budget (the stream then stays paused until granted). */
  private boolean start(Start s) throws Chunking.ProtocolException {
    long size = s.getPayloadSize();
    if (size <= 0 || size > maxPayload) {
      Chunking.Result r = assembler.start(s); // empty or oversized: nothing is buffered
      owner.onMessage(this, r, NOTHING);
      return true;
    }
    synchronized (this) {
      if (closed) {
        return false;
      }
      pausedStart = s;
      paused = true;
      ticket = budget.reserve(size, this::granted);
      if (ticket != null) {
        return false;
      }
    }
    return begin();
  }

  private void granted() {
    long free = 0;
    synchronized (this) {
      ticket = null;
      if (closed) {
        free = pausedStart.getPayloadSize();
      }
    }
    if (free > 0) {
      budget.release(free);
      return;
    }
    if (begin()) {
      requestNext();
    }
  }

  private boolean begin() {
    Start s;
    synchronized (this) {
      s = pausedStart;
      pausedStart = null;
      reserved = s.getPayloadSize();
      paused = false;
    }
    try {
      assembler.start(s);
      return true;
    } catch (Chunking.ProtocolException e) {
      close("protocol violation: " + e.getMessage(), Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return false;
    }
  }

  private void requestNext() {
    try {
      call.request(1);
    } catch (RuntimeException e) {
      // the call is over
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
   * Ends the session: every waiting request is handed to the owner (which may keep it for the
   * client to reconnect) with {@code reason}; with a {@code status} the stream is cancelled
   * towards the client too.
   */
  void close(String reason, Status status) {
    close(reason, status, true);
  }

  /** As {@link #close(String, Status)}, but the waiting requests fail at once: the client may not come back. */
  void closeForGood(String reason, Status status) {
    close(reason, status, false);
  }

  private void close(String reason, Status status, boolean mayRejoin) {
    if (!end()) {
      return;
    }
    if (status != null) {
      out.fail(status);
    }
    failAll(reason, mayRejoin);
  }

  /** Ends the session as the federation finishes: tells the client to exit. */
  void finish(String reason) {
    if (!end()) {
      return;
    }
    out.finish(ServerFrame.newBuilder().setShutdown(dev.cohort.grpc.proto.Shutdown.newBuilder().setReason(reason)).build());
    failAll("server shutting down", false);
  }

  private List<Exchange.Pending> orphans = List.of();

  /** Marks the session closed and frees its budget; false if it already was. */
  private boolean end() {
    long free;
    ReplyBudget.Ticket t;
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      orphans = new ArrayList<>(pending.values());
      pending.clear();
      free = reserved;
      reserved = 0;
      t = ticket;
      ticket = null;
      paused = false;
    }
    if (t != null) {
      budget.cancel(t); // if it was granted meanwhile, granted() sees the session closed and releases it
    }
    if (free > 0) {
      budget.release(free);
    }
    owner.unregister(this); // before the failures, so whoever learns of them no longer sees the client
    return true;
  }

  private void failAll(String reason, boolean mayRejoin) {
    List<Exchange.Pending> list;
    synchronized (this) {
      list = orphans;
      orphans = List.of();
    }
    for (Exchange.Pending p : list) {
      if (mayRejoin) {
        owner.orphaned(p, reason);
      } else {
        p.fail(ClientFailure.Kind.DISCONNECTED, reason);
      }
    }
  }
}
