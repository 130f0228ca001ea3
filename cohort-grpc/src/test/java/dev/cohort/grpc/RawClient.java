package dev.cohort.grpc;

import dev.cohort.grpc.proto.ClientFrame;
import dev.cohort.grpc.proto.FederationGrpc;
import dev.cohort.grpc.proto.Hello;
import dev.cohort.grpc.proto.ServerFrame;
import dev.cohort.pki.TlsIdentity;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A bare protocol client for tests: it does only what the test tells it (no heartbeats, no replies). */
final class RawClient implements AutoCloseable {
  final ManagedChannel channel;
  final CompletableFuture<Status> ended = new CompletableFuture<>();
  final List<ServerFrame> frames = new CopyOnWriteArrayList<>();
  final StreamObserver<ClientFrame> requests;

  private RawClient(ChannelCredentials creds, int port) {
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds).build();
    requests = FederationGrpc.newStub(channel).join(new StreamObserver<>() {
      @Override
      public void onNext(ServerFrame f) {
        frames.add(f);
      }

      @Override
      public void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended.complete(Status.OK);
      }
    });
  }

  static RawClient connect(int port, TlsIdentity id) throws IOException {
    return new RawClient(TlsChannelCredentials.newBuilder()
        .keyManager(id.certificate().toFile(), id.privateKey().toFile())
        .trustManager(id.trustedCas().toFile()).build(), port);
  }

  static RawClient withoutCertificate(int port, Path trustedCas) throws IOException {
    return new RawClient(TlsChannelCredentials.newBuilder().trustManager(trustedCas.toFile()).build(), port);
  }

  void hello() {
    requests.onNext(ClientFrame.newBuilder().setHello(Hello.newBuilder().setProtocol(1)).build());
  }

  void send(ClientFrame frame) {
    requests.onNext(frame);
  }

  /** Waits for the first whole request the server sends: its header bytes and payload bytes. */
  byte[][] awaitRequest(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      dev.cohort.grpc.proto.Start start = null;
      java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
      for (ServerFrame f : frames) {
        if (f.hasStart() && start == null) {
          start = f.getStart();
        } else if (f.hasChunk() && start != null) {
          payload.writeBytes(f.getChunk().getData().toByteArray());
        }
      }
      if (start != null && payload.size() == start.getPayloadSize()) {
        return new byte[][] {start.getHeader().toByteArray(), payload.toByteArray()};
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no request within " + timeout);
  }

  Status awaitEnd(Duration timeout) throws Exception {
    return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
