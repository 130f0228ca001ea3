package dev.cohort.sim;

import dev.cohort.core.ClientId;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.core.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link Transport} to virtual clients in this JVM. Each request runs on a fixed pool of worker
 * threads (one per core by default); a client's {@link ClientRuntime} is made on demand for each
 * request from a factory, so memory grows with the requests in flight, not with the number of
 * clients. Messages are passed by reference, never serialised.
 *
 * <p>With {@code ordered} delivery (the default) replies reach the listener in request order, so
 * floating-point aggregation is reproducible run to run whatever the thread timing; a reply
 * that finishes early waits in a small buffer. Thread-safe.
 */
public final class InProcessTransport implements Transport {
  private final List<ClientId> clients;
  private final Function<ClientId, ClientRuntime> runtimes;
  private final ExecutorService workers;
  private final boolean ordered;

  private InProcessTransport(List<ClientId> clients, Function<ClientId, ClientRuntime> runtimes,
      int parallelism, boolean ordered) {
    this.clients = List.copyOf(clients);
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.ordered = ordered;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "cohort-client-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.workers = Executors.newFixedThreadPool(parallelism, tf);
  }

  /**
   * A transport to {@code clients}, each served by {@code runtimes.apply(client)} per request,
   * on {@code parallelism} worker threads, delivering replies in request order.
   */
  public static InProcessTransport create(List<ClientId> clients, Function<ClientId, ClientRuntime> runtimes,
      int parallelism) {
    return create(clients, runtimes, parallelism, true);
  }

  /** As {@link #create(List, Function, int)}, choosing ordered or as-they-come delivery. */
  public static InProcessTransport create(List<ClientId> clients, Function<ClientId, ClientRuntime> runtimes,
      int parallelism, boolean ordered) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1 but was " + parallelism);
    }
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("a simulation needs at least one client");
    }
    return new InProcessTransport(clients, runtimes, parallelism, ordered);
  }

  @Override
  public List<ClientId> availableClients() {
    return clients;
  }

  private record Done(int index, Message reply, ClientFailure failure) {}

  @Override
  public void exchange(List<Message> requests, Duration timeout, ReplyListener listener)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    List<Future<?>> futures = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      int index = i;
      Message request = requests.get(i);
      futures.add(workers.submit(() -> done.add(serve(index, request))));
    }
    boolean[] reported = new boolean[requests.size()];
    Map<Integer, Done> early = new HashMap<>();
    int next = 0;
    int remaining = requests.size();
    boolean ordered = this.ordered && !listener.closesEarly();
    boolean enough = false;
    try {
      while (remaining > 0 && !enough) {
        long wait = deadline - System.nanoTime();
        Done d = wait > 0 ? done.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (d == null) {
          break;
        }
        if (!ordered) {
          deliver(requests.get(d.index), d, listener);
          reported[d.index] = true;
          remaining--;
          enough = listener.closesEarly() && listener.enough();
          continue;
        }
        early.put(d.index, d);
        while (early.containsKey(next)) {
          Done ready = early.remove(next);
          deliver(requests.get(next), ready, listener);
          reported[next] = true;
          next++;
          remaining--;
        }
      }
    } finally {
      for (Future<?> f : futures) {
        f.cancel(true);
      }
    }
    for (int i = 0; i < requests.size(); i++) {
      if (reported[i]) {
        continue;
      }
      Done late = early.remove(i);
      Message request = requests.get(i);
      if (late != null) {
        deliver(request, late, listener); // finished in time, held back only by ordering
      } else if (enough) {
        listener.onFailure(request, new ClientFailure(request.header().client(), ClientFailure.Kind.LATE,
            "the round already had enough replies"));
      } else {
        listener.onFailure(request, new ClientFailure(request.header().client(), ClientFailure.Kind.TIMEOUT,
            "no reply within " + timeout));
      }
    }
  }

  private static void deliver(Message request, Done d, ReplyListener listener) {
    if (d.reply != null) {
      listener.onReply(request, d.reply);
    } else {
      listener.onFailure(request, d.failure);
    }
  }

  private Done serve(int index, Message request) {
    ClientId client = request.header().client();
    try {
      ClientRuntime runtime = runtimes.apply(client);
      Message reply = runtime.handle(request,
          new ClientContext(client, request.header().runId(), request.header().round()));
      return new Done(index, reply, null);
    } catch (RuntimeException | Error e) {
      return new Done(index, null, new ClientFailure(client, ClientFailure.Kind.CLIENT_ERROR,
          e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
