package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The outcomes of one {@code exchange} call, posted by sessions and taken by the calling thread. */
final class Exchange {
  /** One request's outcome: a reply or a failure. */
  record Done(int index, Message reply, ClientFailure failure) {}

  final BlockingQueue<Done> done = new LinkedBlockingQueue<>();

  /** A request waiting for its reply on a session; whoever removes it from the session reports it, once. */
  record Pending(Message request, int index, Exchange exchange) {
    long id() {
      return request.header().messageId();
    }

    ClientId client() {
      return request.header().client();
    }

    void reply(Message reply) {
      exchange.done.add(new Done(index, reply, null));
    }

    void fail(ClientFailure.Kind kind, String reason) {
      exchange.done.add(new Done(index, null, new ClientFailure(client(), kind, reason)));
    }
  }
}
