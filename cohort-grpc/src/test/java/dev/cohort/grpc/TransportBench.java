package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.pki.TlsIdentity;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parameter-transfer throughput over loopback TLS and the protocol's overhead on the wire.
 *
 * <p>A server and {@code clients} connectors in this JVM; each round the server sends a
 * FitInstruction to every client and each client answers with a FitResult of the same size
 * (echoing the parameters, so no training time is measured). Throughput counts float32 model
 * bytes moved (down and up) per second of round time. Overhead is measured through a counting
 * TCP relay between clients and server, so it includes TLS records, HTTP/2 and gRPC framing,
 * the chunk frames and Cohort's codec (layout, header), heartbeats included.
 *
 * <p>Usage: {@code TransportBench [clients=3] [rounds=30]} (after 15 warm-up rounds); not a test (benchmarks are never run
 * by the build).
 */
public final class TransportBench {
  private static final int WARMUP = 15;

  private TransportBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path dir = Files.createTempDirectory("cohort-bench-pki");
    System.out.printf(Locale.ROOT, "loopback TLS, %d clients, %d measured rounds each, %d cores, %s%n", clients, rounds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    System.out.printf(Locale.ROOT, "%-16s %-7s %10s %12s %12s %14s %14s %10s%n", "model", "path", "MB/round",
        "round ms", "MB/s", "wire B/client", "model B x2", "overhead");
    for (ParameterLayout layout : List.of(TestFederation.twoNn(),
        ParameterLayout.builder().add("w", Shape.of(2000, 1000)).build(),
        ParameterLayout.builder().add("w", Shape.of(10_000, 1000)).build())) {
      run(dir.resolve("direct-" + layout.totalSize()), layout, clients, rounds, false);
      run(dir.resolve("relayed-" + layout.totalSize()), layout, clients, rounds, true);
    }
  }

  private static void run(Path dir, ParameterLayout layout, int nClients, int rounds, boolean relayed)
      throws Exception {
    try (TestFederation fed = new TestFederation(dir)) {
      GrpcServerTransport server = fed.startServer(b -> b.heartbeat(Duration.ofSeconds(5), Duration.ofSeconds(60)));
      try (Relay relay = new Relay(server.port())) {
        List<ClientId> ids = new ArrayList<>();
        for (int i = 0; i < nClients; i++) {
          TlsIdentity id = fed.enrol("site-" + (i + 1));
          ids.add(ClientId.of(id.name()));
          fed.port = relayed ? relay.port() : server.port();
          fed.connect(id, TestFederation.app((fit, ctx) -> new FitResult(fit.global(), 1, MetricRecord.empty())));
        }
        if (!server.awaitClients(nClients, Duration.ofSeconds(30))) {
          throw new IllegalStateException("clients did not connect");
        }
        ParameterSet global = TestFederation.filled(layout, 0.25f);
        for (int r = 0; r < WARMUP; r++) {
          round(server, ids, global, r + 1); // lets the JIT compile the codec and TLS paths
        }
        long wire0 = relay.total();
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
          round(server, ids, global, WARMUP + r + 1);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long wire = relay.total() - wire0;
        long modelBytes = 4L * layout.totalSize();
        double perClient = (double) wire / rounds / nClients;
        double movedMb = 2.0 * modelBytes * nClients * rounds / 1e6;
        if (!relayed) {
          System.out.printf(Locale.ROOT, "%-16s %-7s %10.1f %12.1f %12.1f %14s %14s %10s%n",
              layout.totalSize() + " floats", "direct", 2.0 * modelBytes * nClients / 1e6, seconds * 1000 / rounds,
              movedMb / seconds, "-", "-", "-");
          return;
        }
        System.out.printf(Locale.ROOT, "%-16s %-7s %10.1f %12.1f %12.1f %14.0f %14d %9.3f%%%n",
            layout.totalSize() + " floats", "relay", 2.0 * modelBytes * nClients / 1e6, seconds * 1000 / rounds,
            movedMb / seconds, perClient, 2 * modelBytes, 100 * (perClient / (2.0 * modelBytes) - 1));
      }
    }
  }

  private static void round(GrpcServerTransport server, List<ClientId> ids, ParameterSet global, int round)
      throws InterruptedException {
    FitInstruction fit = new FitInstruction(global, ConfigRecord.empty());
    List<Message> requests = new ArrayList<>();
    for (ClientId c : ids) {
      requests.add(Message.request("bench", round, c, fit));
    }
    int[] ok = {0};
    server.exchange(requests, Duration.ofMinutes(2), new ReplyListener() {
      @Override
      public void onReply(Message request, Message reply) {
        ok[0]++;
      }

      @Override
      public void onFailure(Message request, ClientFailure failure) {
        throw new IllegalStateException(failure.toString());
      }
    });
    if (ok[0] != ids.size()) {
      throw new IllegalStateException("only " + ok[0] + " replies");
    }
  }

  /** A TCP relay on loopback that counts the bytes crossing it in both directions. */
  static final class Relay implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final AtomicLong bytes = new AtomicLong();
    private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

    Relay(int target) throws IOException {
      this.target = target;
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofPlatform().daemon().start(this::accept);
    }

    int port() {
      return listener.getLocalPort();
    }

    long total() {
      return bytes.get();
    }

    private void accept() {
      try {
        while (true) {
          Socket in = listener.accept();
          Socket out = new Socket();
          out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
          in.setTcpNoDelay(true);
          out.setTcpNoDelay(true);
          sockets.add(in);
          sockets.add(out);
          Thread.ofPlatform().daemon().start(() -> pump(in, out));
          Thread.ofPlatform().daemon().start(() -> pump(out, in));
        }
      } catch (IOException closed) {
        // relay closed
      }
    }

    private void pump(Socket from, Socket to) {
      byte[] buf = new byte[1 << 16];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          bytes.addAndGet(n);
        }
      } catch (IOException closed) {
        // connection ended
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
