package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.transport.ClientFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Requests whose client was not connected, or lost its connection, while a round waited for it.
 * They are kept for a grace period, so that a client that restarts or reconnects in time is sent
 * them on its new connection and takes part in the current round instead of the next. Past the
 * grace period (or the exchange's deadline, if sooner) they fail as DISCONNECTED. Thread-safe.
 *
 * <p>Parking, claiming and withdrawing share one lock, so a request is always in exactly one
 * place: a session, this list, or reported to its exchange.
 */
final class Rejoins {
  private record Parked(Exchange.Pending pending, long expiresAt, String reason) {}

  private final long graceNanos;
  private final Map<ClientId, List<Parked>> parked = new HashMap<>();

  Rejoins(java.time.Duration grace) {
    this.graceNanos = grace.toNanos();
  }

  /** Keeps {@code p} for its client to reconnect, or fails it now if there is no grace or its exchange is ending. */
  void park(Exchange.Pending p, String reason) {
    synchronized (this) {
      if (graceNanos > 0 && p.exchange().collecting()) {
        long expires = Math.min(System.nanoTime() + graceNanos, p.exchange().deadline());
        parked.computeIfAbsent(p.client(), c -> new ArrayList<>()).add(new Parked(p, expires, reason));
        return;
      }
    }
    p.fail(ClientFailure.Kind.DISCONNECTED, reason);
  }

  /**
   * Hands {@code client}'s parked requests to {@code place} (which puts each on the client's new
   * session and returns false if it cannot), under the lock; returns those placed, for sending.
   * Requests whose exchange is ending, or that cannot be placed, fail as DISCONNECTED.
   */
  List<Exchange.Pending> claim(ClientId client, Predicate<Exchange.Pending> place) {
    List<Exchange.Pending> placed = new ArrayList<>();
    List<Parked> failed = new ArrayList<>();
    synchronized (this) {
      List<Parked> mine = parked.remove(client);
      if (mine == null) {
        return placed;
      }
      for (Parked k : mine) {
        if (k.pending().exchange().collecting() && place.test(k.pending())) {
          placed.add(k.pending());
        } else {
          failed.add(k);
        }
      }
    }
    failed.forEach(k -> k.pending().fail(ClientFailure.Kind.DISCONNECTED, k.reason()));
    return placed;
  }

  /** Removes {@code p} if it is parked here (its exchange withdrew it); true if it was. */
  synchronized boolean withdraw(Exchange.Pending p) {
    List<Parked> mine = parked.get(p.client());
    if (mine == null) {
      return false;
    }
    boolean removed = mine.removeIf(k -> k.pending() == p);
    if (mine.isEmpty()) {
      parked.remove(p.client());
    }
    return removed;
  }

  /** Fails the requests whose grace period has passed. */
  void expire() {
    long now = System.nanoTime();
    List<Parked> due = new ArrayList<>();
    synchronized (this) {
      for (Iterator<List<Parked>> it = parked.values().iterator(); it.hasNext(); ) {
        List<Parked> mine = it.next();
        mine.removeIf(k -> {
          if (now - k.expiresAt() >= 0) {
            due.add(k);
            return true;
          }
          return false;
        });
        if (mine.isEmpty()) {
          it.remove();
        }
      }
    }
    for (Parked k : due) {
      k.pending().fail(ClientFailure.Kind.DISCONNECTED, k.reason() + "; it did not reconnect within "
          + String.format(java.util.Locale.ROOT, "%.1f s", graceNanos / 1e9));
    }
  }

  /** How many requests wait for their clients now. */
  synchronized int size() {
    int n = 0;
    for (List<Parked> mine : parked.values()) {
      n += mine.size();
    }
    return n;
  }
}
