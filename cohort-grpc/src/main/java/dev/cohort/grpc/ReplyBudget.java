package dev.cohort.grpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds the reply bytes a server holds at once (being reassembled, decoded, or waiting for the
 * listener), so memory does not grow with the number of clients uploading together. A stream
 * whose next reply does not fit waits, first come first served, with gRPC flow control pausing
 * its sender. A reply larger than the whole budget is let through when nothing else is held.
 * Thread-safe.
 */
final class ReplyBudget {
  /** A reservation waiting its turn; cancel it if the stream goes away first. */
  static final class Ticket {
    final long bytes;
    private final Runnable onGrant;

    private Ticket(long bytes, Runnable onGrant) {
      this.bytes = bytes;
      this.onGrant = onGrant;
    }
  }

  private final long capacity;
  private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
  private long used;
  private long peak;

  ReplyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Reserves {@code bytes} now (returns null) or queues a ticket whose callback runs once they are reserved. */
  synchronized Ticket reserve(long bytes, Runnable onGrant) {
    if (waiting.isEmpty() && fits(bytes)) {
      take(bytes);
      return null;
    }
    Ticket t = new Ticket(bytes, onGrant);
    waiting.add(t);
    return t;
  }

  /** Withdraws a ticket; returns true if it was still waiting (else its bytes were granted and must be released). */
  synchronized boolean cancel(Ticket t) {
    return waiting.remove(t);
  }

  void release(long bytes) {
    List<Runnable> granted = new ArrayList<>();
    synchronized (this) {
      used -= bytes;
      while (!waiting.isEmpty() && fits(waiting.peek().bytes)) {
        Ticket t = waiting.poll();
        take(t.bytes);
        granted.add(t.onGrant);
      }
    }
    for (Runnable r : granted) {
      r.run();
    }
  }

  private boolean fits(long bytes) {
    return used == 0 || used + bytes <= capacity;
  }

  private void take(long bytes) {
    used += bytes;
    peak = Math.max(peak, used);
  }

  synchronized long used() {
    return used;
  }

  synchronized long peak() {
    return peak;
  }
}
