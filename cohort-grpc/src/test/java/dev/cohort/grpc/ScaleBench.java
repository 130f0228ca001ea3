package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.tensor.ParameterSet;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many concurrent client connections to one server over loopback TLS, all in this JVM: time to
 * connect, time per 2NN round (FitInstruction down, FitResult of the same size up, replies folded
 * by a listener that keeps nothing), and the server's reply-buffer high-water mark. Heap figures
 * include the clients' own copies, since they share the JVM.
 *
 * <p>Usage: {@code ScaleBench [clients=100] [rounds=3] [replyBufferMiB=64]}; not a test.
 */
public final class ScaleBench {
  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long bufferMiB = args.length > 2 ? Long.parseLong(args[2]) : 64;
    Path dir = Files.createTempDirectory("cohort-scale-pki");
    try (TestFederation fed = new TestFederation(dir.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.replyBufferBytes(bufferMiB << 20)
          .heartbeat(Duration.ofSeconds(5), Duration.ofSeconds(60)).trustPollInterval(Duration.ofSeconds(5)));
      List<ClientId> ids = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String name = String.format(Locale.ROOT, "site-%04d", i);
        ids.add(ClientId.of(name));
        fed.connect(fed.enrol(name), TestFederation.app((fit, ctx) -> new FitResult(fit.global(), 1, MetricRecord.empty())),
            b -> b.backoff(Duration.ofMillis(200), Duration.ofSeconds(5)));
      }
      server.reloadTrust();
      if (!server.awaitClients(n, Duration.ofMinutes(5))) {
        throw new IllegalStateException("only " + server.availableClients().size() + " of " + n + " connected");
      }
      double connectS = (System.nanoTime() - t0) / 1e9;
      ParameterSet global = TestFederation.filled(TestFederation.twoNn(), 0.1f);
      FitInstruction fit = new FitInstruction(global, ConfigRecord.empty());
      resetPeaks();
      double[] ms = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        List<Message> requests = new ArrayList<>();
        for (ClientId c : ids) {
          requests.add(Message.request("scale", r + 1, c, fit));
        }
        int[] ok = {0};
        long s = System.nanoTime();
        server.exchange(requests, Duration.ofMinutes(5), new ReplyListener() {
          @Override
          public void onReply(Message request, Message reply) {
            ok[0]++;
          }

          @Override
          public void onFailure(Message request, ClientFailure failure) {
            System.out.println("failure: " + failure);
          }
        });
        ms[r] = (System.nanoTime() - s) / 1e6;
        if (ok[0] != n) {
          throw new IllegalStateException("round " + (r + 1) + ": " + ok[0] + " of " + n + " replies");
        }
      }
      System.out.printf(Locale.ROOT, "%d clients: connected in %.1f s; 2NN round ms %s; server reply buffer peak %.1f MiB "
          + "(limit %d MiB, model %.1f MiB); JVM heap peak %.0f MiB; threads %d%n", n, connectS, fmt(ms),
          server.peakBufferedReplyBytes() / 1048576.0, bufferMiB, global.size() * 4 / 1048576.0, heapPeakMiB(),
          Thread.activeCount());
    }
  }

  private static String fmt(double[] ms) {
    StringBuilder sb = new StringBuilder();
    for (double m : ms) {
      sb.append(sb.isEmpty() ? "" : "/").append(Math.round(m));
    }
    return sb.toString();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
  }

  private static double heapPeakMiB() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum / 1048576.0;
  }
}
