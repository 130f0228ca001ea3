package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The outcomes of one {@code exchange} call, posted by sessions and taken by the calling thread. */
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
}
