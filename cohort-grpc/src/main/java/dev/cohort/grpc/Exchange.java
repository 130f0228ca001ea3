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

/**
 * One {@code exchange} call: sessions post its requests' outcomes, and the calling thread takes
 * them and reports them to the listener.
 */
final class Exchange {
  /** One request's outcome: a reply (holding {@code release}'s share of the reply budget) or a failure. */
  record Done(int index, Message reply, ClientFailure failure, Runnable release) {
    void released() {
      if (release != null) {
        release.run();
      }
    }
  }

  final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
  private boolean closed;

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

    void reply(Message reply, Runnable release) {
      java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
      exchange.post(new Done(index, reply, null, () -> {
        if (once.compareAndSet(false, true)) {
          release.run();
        }
      }));
    }

    void fail(ClientFailure.Kind kind, String reason) {
      exchange.post(new Done(index, null, new ClientFailure(client(), kind, reason), null));
    }
  }

  /**
   * Reports every request's outcome to {@code listener} from the calling thread: replies and
   * failures as they are posted (or in request order if {@code ordered}) until {@code deadline},
   * then TIMEOUT for the requests it withdraws from their sessions, and the outcomes of those a
   * session removed first. Exactly one listener call per request.
   */
  void collect(List<Message> requests, List<Pending> placed, List<ServerSession> placedOn, long deadline,
      Duration timeout, boolean ordered, ReplyListener listener) throws InterruptedException {
    Exchange ex = this;
    int n = requests.size();
    boolean[] reported = new boolean[n];
    Map<Integer, Done> early = new HashMap<>();
    int next = 0;
    int remaining = n;
    try {
      while (remaining > 0) {
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
          continue;
        }
        // replies held for ordering leave the reply budget, or a reply waiting for budget could
        // never arrive to release them: request-order delivery costs memory by design
        d.released();
        early.put(d.index(), d);
        while (early.containsKey(next)) {
          Done ready = early.remove(next);
          deliver(requests.get(next), ready, listener);
          ready.released();
          reported[next++] = true;
          remaining--;
        }
      }
    } catch (InterruptedException e) {
      withdraw(placed, placedOn, new boolean[n]);
      early.values().forEach(Done::released);
      ex.close();
      throw e;
    }
    if (remaining == 0) {
      ex.close();
      return;
    }
    // Withdraw what is still waiting. Each request is removed from its session exactly once: a request
    // withdrawn here timed out; one its session removed first (reply, refusal, disconnection) has its
    // outcome posted, perhaps a moment from now, and is delivered below.
    boolean[] withdrawn = new boolean[n];
    for (int i = 0; i < n; i++) {
      withdrawn[i] = reported[i] || early.containsKey(i);
    }
    boolean[] timedOut = withdraw(placed, placedOn, withdrawn);
    int expected = 0;
    for (int i = 0; i < n; i++) {
      if (!withdrawn[i]) {
        expected++;
      }
    }
    while (expected > 0) {
      Done d = ex.done.poll(10, TimeUnit.SECONDS);
      if (d == null) {
        throw new IllegalStateException("lost track of " + expected + " requests; this is a bug");
      }
      early.put(d.index(), d);
      expected--;
    }
    for (int i = 0; i < n; i++) {
      if (reported[i]) {
        continue;
      }
      Message request = requests.get(i);
      Done d = early.remove(i);
      if (d != null && !timedOut[i]) {
        deliver(request, d, listener);
        d.released();
      } else {
        listener.onFailure(request, new ClientFailure(request.header().client(), ClientFailure.Kind.TIMEOUT,
            "no reply within " + timeout));
      }
    }
    ex.close();
  }

  /** Removes still-waiting requests from their sessions; marks them in {@code done} and returns which it removed. */
  private static boolean[] withdraw(List<Pending> placed, List<ServerSession> placedOn, boolean[] done) {
    boolean[] removed = new boolean[done.length];
    for (int k = 0; k < placed.size(); k++) {
      Pending p = placed.get(k);
      if (!done[p.index()] && placedOn.get(k).take(p.id()) != null) {
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
