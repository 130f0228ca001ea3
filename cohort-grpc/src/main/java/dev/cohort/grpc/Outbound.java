package dev.cohort.grpc;

import com.google.protobuf.MessageLite;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sending side of one stream, with gRPC flow control: frames wait in a queue (holding
 * references to shared payload bytes, not copies) and are written only while the transport is
 * ready, so a slow peer cannot make the sender buffer unbounded data in the network layer.
 * A message's frames are queued together and never interleave with another message's.
 * Thread-safe.
 */
final class Outbound<T extends MessageLite> {
  private final CallStreamObserver<T> observer;
  private final AtomicLong bytes;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private boolean closed;
  private boolean completeWhenDrained;

  Outbound(CallStreamObserver<T> observer, AtomicLong bytes) {
    this.observer = observer;
    this.bytes = bytes;
  }

  /** Queues frames; returns false if the stream is already closed. */
  synchronized boolean send(List<? extends T> frames) {
    if (closed || completeWhenDrained) {
      return false;
    }
    queue.addAll(frames);
    drain();
    return true;
  }

  boolean send(T frame) {
    return send(List.of(frame));
  }

  /** Writes what the transport will take; called again by the on-ready handler. */
  synchronized void drain() {
    try {
      while (!closed && !queue.isEmpty() && observer.isReady()) {
        T f = queue.poll();
        bytes.addAndGet(f.getSerializedSize() + 5L);
        observer.onNext(f);
      }
      if (!closed && completeWhenDrained && queue.isEmpty()) {
        closed = true;
        observer.onCompleted();
      }
    } catch (RuntimeException e) {
      // the call was cancelled under us; the receiving side learns of it through onError
      closed = true;
      queue.clear();
    }
  }

  /** Sends {@code last} (if not null) after everything queued, then completes the stream. */
  synchronized void finish(T last) {
    if (closed || completeWhenDrained) {
      return;
    }
    if (last != null) {
      queue.add(last);
    }
    completeWhenDrained = true;
    drain();
  }

  /** Drops what is queued and ends the stream with {@code status}. */
  synchronized void fail(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    try {
      observer.onError(status.asRuntimeException());
    } catch (RuntimeException ignored) {
      // already cancelled
    }
  }

  /** Drops what is queued without touching the stream (it is already dead). */
  synchronized void abandon() {
    closed = true;
    queue.clear();
  }

  synchronized int queued() {
    return queue.size();
  }
}
