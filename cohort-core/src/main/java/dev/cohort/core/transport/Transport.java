package dev.cohort.core.transport;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.Message;
import java.time.Duration;
import java.util.List;

/**
 * The server's view of the network: which clients are reachable, and a way to send them requests
 * and receive their replies. Every federation protocol (one-stage FedAvg rounds, multi-stage
 * secure aggregation) is written once against this interface; the simulation ships an
 * in-process implementation and deployments a gRPC one.
 *
 * <p>Implementations are thread-safe, but the coordinator runs one {@link #exchange} at a time.
 */
public interface Transport extends AutoCloseable {

  /** The clients currently connected and able to take requests, in a stable order. */
  List<ClientId> availableClients();

  /**
   * Sends every request and reports each reply or failure to {@code listener} as it happens,
   * returning once every request is answered, has failed, or {@code timeout} has passed (the
   * requests still outstanding are then reported as {@link ClientFailure.Kind#TIMEOUT}).
   * Listener calls are never concurrent, and exactly one call is made per request.
   *
   * @throws InterruptedException if the calling thread is interrupted; outstanding requests are
   *     then abandoned
   */
  void exchange(List<Message> requests, Duration timeout, ReplyListener listener)
      throws InterruptedException;

  /** Releases the transport's threads and connections. */
  @Override
  void close();
}
