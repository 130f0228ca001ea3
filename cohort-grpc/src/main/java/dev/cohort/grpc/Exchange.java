package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code exchange} call: sessions post its requests' outcomes, and the calling thread takes
 * them and reports them to the listener.
 */
final class Exchange {
  /**
   * One request's outcome: a reply (holding {@code release}'s share of the reply budget, and
   * {@code bytes} long when encoded) or a failure.
   */
  record Done(int index, Message reply, ClientFailure failure, Runnable release, long bytes) {
    void released() {
      if (release != null) {
        release.run();
      }
    }
  }

  final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
  private final long deadline;
  private volatile boolean collecting = true;
  private boolean closed;

  /** @param deadline the {@link System#nanoTime()} by which every request must be answered */
  Exchange(long deadline) {
    this.deadline = deadline;
  }

  long deadline() {
    return deadline;
  }

  /** Whether the exchange still waits for outcomes; once false, nothing new may be placed on a session. */
  boolean collecting() {
    return collecting;
  }

  private void post(Done d) {
    synchronized (this) {
      if (!closed) {
        done.add(d);
        return;
      }
    }
    d.released();
  }

  /** Ends the exchange: outcomes posted from now on, and those never taken, release their bytes at once. */
  void close() {
    java.util.List<Done> left = new java.util.ArrayList<>();
    synchronized (this) {
      closed = true;
      done.drainTo(left);
    }
    left.forEach(Done::released);
  }

  /** A request waiting for its reply on a session; whoever removes it from the session reports it, once. */
  record Pending(Message request, int index, Exchange exchange) {
    long id() {
      return request.header().messageId();
    }

    ClientId client() {
      return request.header().client();
    }

    void reply(Message reply, Runnable release, long bytes) {
      java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
      exchange.post(new Done(index, reply, null, () -> {
        if (once.compareAndSet(false, true)) {
          release.run();
        }
      }, bytes));
    }

    void fail(ClientFailure.Kind kind, String reason) {
      exchange.post(new Done(index, null, new ClientFailure(client(), kind, reason), null, 0));
    }
  }

  /**
   * Reports every request's outcome to {@code listener} from the calling thread: replies and
   * failures as they are posted (or in request order if {@code held} is given, early ones waiting
   * in it) until {@code deadline} or until the listener has {@linkplain ReplyListener#enough()
   * enough}; then TIMEOUT (or LATE) for the requests it withdraws from their sessions, and the
   * outcomes of those a session removed first. Exactly one listener call per request.
   */
  void collect(List<Message> requests, List<Pending> placed, Predicate<Pending> withdrawer, Duration timeout,
      HeldReplies held, ReplyListener listener) throws InterruptedException {
    Exchange ex = this;
    int n = requests.size();
    boolean[] reported = new boolean[n];
    boolean ordered = held != null && !listener.closesEarly();
    HeldReplies early = held != null ? held : new HeldReplies(null, 0, null);
    int next = 0;
    int remaining = n;
    boolean enough = false;
    try {
      while (remaining > 0 && !enough) {
        long wait = deadline - System.nanoTime();
        Done d = wait > 0 ? ex.done.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (d == null) {
          break;
        }
        if (!ordered) {
          deliver(requests.get(d.index()), d, listener);
          d.released();
          reported[d.index()] = true;
          remaining--;
          enough = listener.closesEarly() && listener.enough();
          continue;
        }
        // replies held for ordering leave the reply budget, or a reply waiting for budget could
        // never arrive to release them; past the allowance they wait on disk instead of in memory
        d.released();
        if (d.index() == next) {
          deliver(requests.get(next), d, listener);
          reported[next++] = true;
          remaining--;
        } else {
          early.put(d);
        }
        while (early.contains(next)) {
          Done ready = early.take(next);
          deliver(requests.get(next), ready, listener);
          ready.released();
          reported[next++] = true;
          remaining--;
        }
      }
      if (remaining == 0) {
        return;
      }
      finish(requests, placed, withdrawer, timeout, enough, listener, reported, early);
    } catch (InterruptedException e) {
      collecting = false;
      withdraw(placed, withdrawer, new boolean[n]);
      throw e;
    } finally {
      collecting = false;
      early.close();
      ex.close();
    }
  }

  /**
   * Withdraws what is still waiting and reports the rest. Each request is removed from its session
   * exactly once: a request withdrawn here timed out (or was late, once the listener had enough);
   * one its session removed first (reply, refusal, disconnection) has its outcome posted, perhaps a
   * moment from now, and is delivered here in request order.
   */
  private void finish(List<Message> requests, List<Pending> placed, Predicate<Pending> withdrawer, Duration timeout,
      boolean enough, ReplyListener listener, boolean[] reported, HeldReplies early) throws InterruptedException {
    collecting = false;
    int n = requests.size();
    boolean[] withdrawn = new boolean[n];
    for (int i = 0; i < n; i++) {
      withdrawn[i] = reported[i] || early.contains(i);
    }
    boolean[] timedOut = withdraw(placed, withdrawer, withdrawn);
    int expected = 0;
    for (int i = 0; i < n; i++) {
      if (!withdrawn[i]) {
        expected++;
      }
    }
    Map<Integer, Done> posted = new HashMap<>();
    while (expected > 0) {
      Done d = done.poll(10, TimeUnit.SECONDS);
      if (d == null) {
        throw new IllegalStateException("lost track of " + expected + " requests; this is a bug");
      }
      posted.put(d.index(), d);
      expected--;
    }
    for (int i = 0; i < n; i++) {
      if (reported[i]) {
        continue;
      }
      Message request = requests.get(i);
      Done d = early.contains(i) ? early.take(i) : posted.remove(i);
      if (d != null && !timedOut[i] && (!enough || d.reply() == null)) {
        deliver(request, d, listener);
      } else if (enough) {
        listener.onFailure(request, new ClientFailure(request.header().client(), ClientFailure.Kind.LATE,
            "the round already had enough replies"));
      } else {
        listener.onFailure(request, new ClientFailure(request.header().client(), ClientFailure.Kind.TIMEOUT,
            "no reply within " + timeout));
      }
      if (d != null) {
        d.released();
      }
    }
  }

  /**
   * Removes still-waiting requests from wherever they wait ({@code withdrawer} returns true if it
   * removed one); marks them in {@code done} and returns which it removed.
   */
  private static boolean[] withdraw(List<Pending> placed, Predicate<Pending> withdrawer, boolean[] done) {
    boolean[] removed = new boolean[done.length];
    for (Pending p : placed) {
      if (!done[p.index()] && withdrawer.test(p)) {
        removed[p.index()] = true;
        done[p.index()] = true;
      }
    }
    return removed;
  }

  private static void deliver(Message request, Done d, ReplyListener listener) {
    if (d.reply() != null) {
      listener.onReply(request, d.reply());
    } else {
      listener.onFailure(request, d.failure());
    }
  }
}
