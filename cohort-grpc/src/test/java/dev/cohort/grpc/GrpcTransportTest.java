package dev.cohort.grpc;

import static dev.cohort.grpc.TestFederation.addOne;
import static dev.cohort.grpc.TestFederation.app;
import static dev.cohort.grpc.TestFederation.filled;
import static dev.cohort.grpc.TestFederation.fitRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment transport end to end: a real server and real clients on loopback with mutual
 * TLS, in one JVM (multi-process runs are the CLI's tests).
 */
@Timeout(60)
class GrpcTransportTest {
  @TempDir Path tmp;

  private static final List<ClientId> THREE = List.of(ClientId.of("site-1"), ClientId.of("site-2"), ClientId.of("site-3"));

  private static void assertAddedOne(ParameterSet global, Message reply) {
    ParameterSet update = ((FitResult) reply.payload()).update();
    assertThat(update.layout()).isEqualTo(global.layout());
    float[] g = global.data();
    float[] u = update.data();
    for (int i = 0; i < g.length; i += 997) {
      assertThat(u[i]).isEqualTo(g[i] + 1);
    }
    assertThat(u[u.length - 1]).isEqualTo(g[g.length - 1] + 1);
  }

  /* --- exchanges --- */

  @Test
  void threeClients_completeSeveralFitExchanges_with2nnAndLargerThan4MiBParameterSets() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      for (ClientId c : THREE) {
        fed.connect(fed.enrol(c.value()), addOne());
      }
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      assertThat(server.availableClients()).containsExactlyElementsOf(THREE);

      ParameterSet twoNn = filled(TestFederation.twoNn(), 0.5f);
      ParameterSet big = filled(ParameterLayout.builder().add("w", Shape.of(2000, 1000)).build(), -1f); // 8 MB
      int round = 0;
      for (ParameterSet global : List.of(twoNn, twoNn, big, twoNn)) {
        List<Message> requests = fitRequests(server.availableClients(), global, ++round);
        TestFederation.Recorder rec = new TestFederation.Recorder();
        server.exchange(requests, Duration.ofSeconds(30), rec);
        assertThat(rec.failures).as("round %s failures", round).isEmpty();
        assertThat(rec.calls.get()).isEqualTo(3);
        assertThat(rec.overlapped).isFalse();
        assertThat(rec.duplicated).isFalse();
        for (Message r : requests) {
          Message reply = rec.replyFor(r);
          assertThat(reply.header().replyTo()).isEqualTo(r.header().messageId());
          assertThat(reply.header().client()).isEqualTo(r.header().client());
          assertThat(((FitResult) reply.payload()).metrics()).isEqualTo(MetricRecord.of("round", round));
          assertAddedOne(global, reply);
        }
      }
      long modelBytes = 4L * (3 * twoNn.size() + big.size());
      for (ClientId c : THREE) {
        Traffic t = server.traffic().get(c);
        assertThat(t.bytesSent()).isBetween(modelBytes, (long) (modelBytes * 1.01) + 100_000);
        assertThat(t.bytesReceived()).isBetween(modelBytes, (long) (modelBytes * 1.01) + 100_000);
      }
    }
  }

  @Test
  void requestOrderDelivery_reportsRepliesInRequestOrder() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.deliverInRequestOrder(true));
      for (ClientId c : THREE) {
        long delay = c.value().equals("site-1") ? 300 : 0; // the first answers last
        fed.connect(fed.enrol(c.value()), app((fit, ctx) -> {
          sleep(delay);
          return new FitResult(fit.global(), 1, MetricRecord.empty());
        }));
      }
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      List<Message> requests = fitRequests(THREE, filled(TestFederation.twoNn(), 0f), 1);
      List<ClientId> order = new java.util.ArrayList<>();
      server.exchange(requests, Duration.ofSeconds(20), new dev.cohort.core.transport.ReplyListener() {
        @Override
        public void onReply(Message request, Message reply) {
          order.add(request.header().client());
        }

        @Override
        public void onFailure(Message request, ClientFailure failure) {
          order.add(request.header().client());
        }
      });
      assertThat(order).containsExactlyElementsOf(THREE);
    }
  }

  @Test
  void requestOrderDelivery_beyondTheMemoryAllowance_holdsEarlyRepliesOnDiskAndDeliversThemIntact() throws Exception {
    Path spill = java.nio.file.Files.createDirectories(tmp.resolve("spill"));
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      // an allowance of one byte: every reply that arrives before its turn goes to disk
      GrpcServerTransport server = fed.startServer(b -> b.deliverInRequestOrder(true).holdEarlyReplies(1, spill));
      for (ClientId c : THREE) {
        long delay = c.value().equals("site-1") ? 500 : 0; // the first answers last
        fed.connect(fed.enrol(c.value()), app((fit, ctx) -> {
          sleep(delay);
          ParameterSet u = fit.global().copy();
          float[] d = u.data();
          for (int i = 0; i < d.length; i++) {
            d[i] += 1;
          }
          return new FitResult(u, 1, MetricRecord.empty());
        }));
      }
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      ParameterSet global = filled(TestFederation.twoNn(), 0f);
      List<Message> requests = fitRequests(THREE, global, 1);
      List<ClientId> order = new java.util.ArrayList<>();
      List<Message> replies = new java.util.ArrayList<>();
      server.exchange(requests, Duration.ofSeconds(20), new dev.cohort.core.transport.ReplyListener() {
        @Override
        public void onReply(Message request, Message reply) {
          order.add(request.header().client());
          replies.add(reply);
        }

        @Override
        public void onFailure(Message request, ClientFailure failure) {
          order.add(request.header().client());
        }
      });
      assertThat(order).containsExactlyElementsOf(THREE);
      for (Message reply : replies) {
        ParameterSet u = ((FitResult) reply.payload()).update();
        float[] g = global.data();
        float[] d = u.data();
        for (int i = 0; i < d.length; i++) {
          if (d[i] != g[i] + 1) {
            throw new AssertionError("coordinate " + i + " of " + reply.header().client() + " changed on disk");
          }
        }
      }
      assertThat(server.spilledReplies()).as("the two replies that came before their turn").isEqualTo(2);
      try (var files = java.nio.file.Files.list(spill)) {
        assertThat(files.count()).as("no spill file is left behind").isZero();
      }
    }
  }

  @Test
  void listenerWithAQuorum_endsTheExchangeEarlyAndReportsTheRestLate() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.deliverInRequestOrder(true));
      for (ClientId c : THREE) {
        long delay = c.value().equals("site-1") ? 15_000 : 0; // the first is slow
        fed.connect(fed.enrol(c.value()), app((fit, ctx) -> {
          sleep(delay);
          return new FitResult(fit.global(), 1, MetricRecord.empty());
        }));
      }
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      List<Message> requests = fitRequests(THREE, filled(TestFederation.twoNn(), 0f), 1);
      List<ClientId> replied = new java.util.ArrayList<>();
      List<ClientFailure> failed = new java.util.ArrayList<>();
      long t0 = System.nanoTime();
      server.exchange(requests, Duration.ofSeconds(60), new dev.cohort.core.transport.ReplyListener() {
        @Override
        public void onReply(Message request, Message reply) {
          replied.add(request.header().client());
        }

        @Override
        public void onFailure(Message request, ClientFailure failure) {
          failed.add(failure);
        }

        @Override
        public boolean closesEarly() {
          return true;
        }

        @Override
        public boolean enough() {
          return replied.size() >= 2;
        }
      });
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(replied).containsExactlyInAnyOrder(ClientId.of("site-2"), ClientId.of("site-3"));
      assertThat(failed).singleElement().satisfies(f -> {
        assertThat(f.client()).isEqualTo(ClientId.of("site-1"));
        assertThat(f.kind()).isEqualTo(ClientFailure.Kind.LATE);
      });
    }
  }

  @Test
  void requestToAnUnknownClient_failsAsDisconnectedAtOnce() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      List<Message> requests = fitRequests(List.of(ClientId.of("nobody")), filled(TestFederation.twoNn(), 0f), 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      long t0 = System.nanoTime();
      server.exchange(requests, Duration.ofSeconds(20), rec);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(rec.failureFor(requests.getFirst()).kind()).isEqualTo(ClientFailure.Kind.DISCONNECTED);
    }
  }

  @Test
  void manySimultaneousLargeReplies_areHeldWithinTheReplyBuffer() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      long budget = 12L << 20;
      GrpcServerTransport server = fed.startServer(b -> b.replyBufferBytes(budget));
      List<ClientId> six = new java.util.ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        six.add(ClientId.of("site-" + i));
        fed.connect(fed.enrol("site-" + i), addOne());
      }
      assertThat(server.awaitClients(6, Duration.ofSeconds(20))).isTrue();
      ParameterSet big = filled(ParameterLayout.builder().add("w", Shape.of(2000, 1000)).build(), 0f); // 8 MB
      List<Message> requests = fitRequests(six, big, 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      long[] heldDuringListener = {0};
      server.exchange(requests, Duration.ofSeconds(40), new dev.cohort.core.transport.ReplyListener() {
        @Override
        public void onReply(Message request, Message reply) {
          heldDuringListener[0] = Math.max(heldDuringListener[0], server.bufferedReplyBytes());
          sleep(100); // a slow consumer: the others must wait, not pile up
          rec.onReply(request, reply);
        }

        @Override
        public void onFailure(Message request, ClientFailure failure) {
          rec.onFailure(request, failure);
        }
      });
      assertThat(rec.failures).isEmpty();
      assertThat(rec.replies).hasSize(6);
      for (Message r : requests) {
        assertAddedOne(big, rec.replyFor(r));
      }
      assertThat(heldDuringListener[0]).isGreaterThan(0);
      assertThat(server.peakBufferedReplyBytes()).isLessThanOrEqualTo(budget);
      assertThat(server.bufferedReplyBytes()).isZero();
    }
  }

  @Test
  void requestOrderDelivery_withATinyReplyBuffer_stillCompletes() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.replyBufferBytes(1 << 20).deliverInRequestOrder(true));
      for (ClientId c : THREE) {
        long delay = c.value().equals("site-1") ? 300 : 0; // the first answers last
        fed.connect(fed.enrol(c.value()), app((fit, ctx) -> {
          sleep(delay);
          return new FitResult(fit.global(), 1, MetricRecord.empty());
        }));
      }
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      List<Message> requests = fitRequests(THREE, filled(TestFederation.twoNn(), 0f), 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(requests, Duration.ofSeconds(20), rec);
      assertThat(rec.replies).hasSize(3);
      assertThat(server.bufferedReplyBytes()).isZero();
    }
  }

  /* --- failures --- */

  @Test
  void clientKilledMidExchange_isDisconnectedAfterTheRejoinGraceWhileTheOthersComplete() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.rejoinGrace(Duration.ofSeconds(1)));
      CountDownLatch fitting = new CountDownLatch(1);
      fed.connect(fed.enrol("site-1"), addOne());
      fed.connect(fed.enrol("site-2"), addOne());
      GrpcClientConnector doomed = fed.connect(fed.enrol("site-3"), app((fit, ctx) -> {
        fitting.countDown();
        sleep(20_000);
        throw new IllegalStateException("unreachable");
      }));
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      Thread killer = Thread.ofVirtual().start(() -> {
        try {
          fitting.await();
          doomed.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      ParameterSet global = filled(TestFederation.twoNn(), 0f);
      List<Message> requests = fitRequests(THREE, global, 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      long t0 = System.nanoTime();
      server.exchange(requests, Duration.ofSeconds(30), rec);
      killer.join();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
      assertAddedOne(global, rec.replyFor(requests.get(0)));
      assertAddedOne(global, rec.replyFor(requests.get(1)));
      ClientFailure f = rec.failureFor(requests.get(2));
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.DISCONNECTED);
      assertThat(f.client()).isEqualTo(ClientId.of("site-3"));
      assertThat(f.reason()).contains("did not reconnect within 1.0 s");
      assertThat(rec.calls.get()).isEqualTo(3);
      assertThat(server.availableClients()).doesNotContain(ClientId.of("site-3"));
    }
  }

  @Test
  void clientKilledMidExchange_andRestartedWithinTheGrace_isServedTheSameRound() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.rejoinGrace(Duration.ofSeconds(20)));
      CountDownLatch fitting = new CountDownLatch(1);
      fed.connect(fed.enrol("site-1"), addOne());
      fed.connect(fed.enrol("site-2"), addOne());
      var site3 = fed.enrol("site-3");
      GrpcClientConnector doomed = fed.connect(site3, app((fit, ctx) -> {
        fitting.countDown();
        sleep(20_000);
        throw new IllegalStateException("unreachable");
      }));
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      Thread restart = Thread.ofVirtual().start(() -> {
        try {
          fitting.await();
          doomed.close();
          sleep(500);
          fed.connect(site3, addOne()); // the same site, restarted
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      ParameterSet global = filled(TestFederation.twoNn(), 0f);
      List<Message> requests = fitRequests(THREE, global, 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      long t0 = System.nanoTime();
      server.exchange(requests, Duration.ofSeconds(60), rec);
      restart.join();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
      for (Message request : requests) {
        assertAddedOne(global, rec.replyFor(request));
      }
      assertThat(rec.calls.get()).isEqualTo(3);
      assertThat(server.availableClients()).contains(ClientId.of("site-3"));
    }
  }

  @Test
  void slowClient_timesOutAndItsLateReplyIsIgnored() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      fed.connect(fed.enrol("site-1"), addOne());
      fed.connect(fed.enrol("site-2"), app((fit, ctx) -> {
        if (ctx.round() == 1) {
          sleep(1500);
        }
        return new FitResult(fit.global(), 1, MetricRecord.empty());
      }));
      assertThat(server.awaitClients(2, Duration.ofSeconds(20))).isTrue();
      List<ClientId> two = List.of(ClientId.of("site-1"), ClientId.of("site-2"));
      ParameterSet global = filled(TestFederation.twoNn(), 0f);
      List<Message> first = fitRequests(two, global, 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(first, Duration.ofMillis(700), rec);
      assertAddedOne(global, rec.replyFor(first.get(0)));
      ClientFailure f = rec.failureFor(first.get(1));
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.TIMEOUT);
      assertThat(f.reason()).contains("no reply within");

      List<Message> second = fitRequests(two, global, 2);
      TestFederation.Recorder rec2 = new TestFederation.Recorder();
      server.exchange(second, Duration.ofSeconds(20), rec2);
      assertThat(rec2.failures).isEmpty();
      assertThat(rec2.replyFor(second.get(1)).header().replyTo()).isEqualTo(second.get(1).header().messageId());
    }
  }

  @Test
  void oversizedReply_isRejectedWithItsSizeAndTheStreamStaysUsable() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.maxMessageBytes(2 << 20));
      ParameterSet huge = filled(ParameterLayout.builder().add("w", Shape.of(1000, 1000)).build(), 0f); // 4 MB
      fed.connect(fed.enrol("site-1"), addOne());
      fed.connect(fed.enrol("site-2"), app((fit, ctx) ->
          new FitResult(ctx.round() == 1 ? huge : fit.global(), 1, MetricRecord.empty())));
      assertThat(server.awaitClients(2, Duration.ofSeconds(20))).isTrue();
      List<ClientId> two = List.of(ClientId.of("site-1"), ClientId.of("site-2"));
      ParameterSet global = filled(TestFederation.twoNn(), 0f);
      List<Message> first = fitRequests(two, global, 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(first, Duration.ofSeconds(20), rec);
      assertAddedOne(global, rec.replyFor(first.get(0)));
      ClientFailure f = rec.failureFor(first.get(1));
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.REJECTED);
      assertThat(f.reason()).contains("exceeds the limit of " + (2 << 20) + " bytes");

      List<Message> second = fitRequests(two, global, 2);
      TestFederation.Recorder rec2 = new TestFederation.Recorder();
      server.exchange(second, Duration.ofSeconds(20), rec2);
      assertThat(rec2.failures).isEmpty();
    }
  }

  @Test
  void oversizedRequest_isRefusedByTheClientAndRecordedAsRejected() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      fed.connect(fed.enrol("site-1"), addOne(), b -> b.maxMessageBytes(100_000));
      assertThat(server.awaitClients(1, Duration.ofSeconds(20))).isTrue();
      List<Message> requests = fitRequests(List.of(ClientId.of("site-1")), filled(TestFederation.twoNn(), 0f), 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(requests, Duration.ofSeconds(20), rec);
      ClientFailure f = rec.failureFor(requests.getFirst());
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.REJECTED);
      assertThat(f.reason()).contains("exceeds this client's limit of 100000 bytes");
    }
  }

  @Test
  void clientWhoseModBreaksTheChain_isRecordedAsAClientError() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      dev.cohort.core.client.Mod broken = (request, context, next) -> null;
      fed.connect(fed.enrol("site-1"), addOne(),
          b -> b.runtime(new dev.cohort.core.client.ClientRuntime(addOne(), List.of(broken))));
      assertThat(server.awaitClients(1, Duration.ofSeconds(20))).isTrue();
      List<Message> requests = fitRequests(List.of(ClientId.of("site-1")), filled(TestFederation.twoNn(), 0f), 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(requests, Duration.ofSeconds(20), rec);
      ClientFailure f = rec.failureFor(requests.getFirst());
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.CLIENT_ERROR);
      assertThat(f.reason()).contains("ModContractException").contains("returned null");
    }
  }

  @Test
  void silentPeer_isDroppedWhenItsHeartbeatsStop() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.heartbeat(Duration.ofMillis(200), Duration.ofMillis(1200))
          .rejoinGrace(Duration.ofMillis(500)));
      try (RawClient silent = RawClient.connect(fed.port, fed.enrol("mute"))) {
        silent.hello();
        assertThat(server.awaitClients(1, Duration.ofSeconds(10))).isTrue();
        List<Message> requests = fitRequests(List.of(ClientId.of("mute")), filled(TestFederation.twoNn(), 0f), 1);
        TestFederation.Recorder rec = new TestFederation.Recorder();
        long t0 = System.nanoTime();
        server.exchange(requests, Duration.ofSeconds(30), rec);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        ClientFailure f = rec.failureFor(requests.getFirst());
        assertThat(f.kind()).isEqualTo(ClientFailure.Kind.DISCONNECTED);
        assertThat(f.reason()).contains("no heartbeat");
        assertThat(server.availableClients()).isEmpty();
      }
    }
  }

  @Test
  void interruptedExchange_throwsAndTheTransportStaysUsable() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      fed.connect(fed.enrol("site-1"), app((fit, ctx) -> {
        if (ctx.round() == 1) {
          sleep(1500);
        }
        return new FitResult(fit.global(), 1, MetricRecord.empty());
      }));
      assertThat(server.awaitClients(1, Duration.ofSeconds(20))).isTrue();
      ParameterSet global = filled(TestFederation.twoNn(), 0f);
      java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
      TestFederation.Recorder first = new TestFederation.Recorder();
      Thread caller = Thread.ofPlatform().start(() -> {
        try {
          server.exchange(fitRequests(List.of(ClientId.of("site-1")), global, 1), Duration.ofSeconds(30), first);
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
      sleep(300);
      caller.interrupt();
      caller.join(5000);
      assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
      assertThat(first.calls.get()).isZero();

      List<Message> second = fitRequests(List.of(ClientId.of("site-1")), global, 2);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(second, Duration.ofSeconds(20), rec);
      assertThat(rec.replyFor(second.getFirst())).isNotNull();
      assertThat(server.bufferedReplyBytes()).isZero();
    }
  }

  /* --- lifecycle --- */

  @Test
  void clientsReconnectAfterAServerRestart() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport first = fed.startServer();
      GrpcClientConnector c1 = fed.connect(fed.enrol("site-1"), addOne());
      GrpcClientConnector c2 = fed.connect(fed.enrol("site-2"), addOne());
      assertThat(first.awaitClients(2, Duration.ofSeconds(20))).isTrue();
      long welcomed = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(c1.isConnected() && c2.isConnected()) && System.nanoTime() < welcomed) {
        sleep(20); // the server lists a client before its welcome has reached it
      }
      assertThat(c1.connections()).isEqualTo(1);
      assertThat(c2.connections()).isEqualTo(1);
      first.shutdownNow();

      GrpcServerTransport second = fed.startServer();
      assertThat(second.awaitClients(2, Duration.ofSeconds(20))).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((c1.connections() < 2 || c2.connections() < 2) && System.nanoTime() < deadline) {
        sleep(20);
      }
      assertThat(c1.connections()).isEqualTo(2);
      assertThat(c2.connections()).isEqualTo(2);
      List<Message> requests = fitRequests(second.availableClients(), filled(TestFederation.twoNn(), 0f), 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      second.exchange(requests, Duration.ofSeconds(20), rec);
      assertThat(rec.replies).hasSize(2);
    }
  }

  @Test
  void closingTheServer_endsTheFederationAndClientsFinish() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      GrpcClientConnector c = fed.connect(fed.enrol("site-1"), addOne());
      assertThat(server.awaitClients(1, Duration.ofSeconds(20))).isTrue();
      server.close();
      assertThat(c.await(Duration.ofSeconds(10))).contains(GrpcClientConnector.Outcome.FINISHED);
    }
  }

  static void sleep(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
