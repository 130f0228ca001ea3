package dev.cohort.grpc;

import static dev.cohort.grpc.TestFederation.filled;
import static dev.cohort.grpc.TestFederation.fitRequests;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Header;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.grpc.proto.Chunk;
import dev.cohort.grpc.proto.ClientFrame;
import dev.cohort.grpc.proto.Start;
import dev.cohort.tensor.ParameterSet;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrolled clients that misbehave on the wire: replies that lie about who sent them, corrupt
 * payloads, broken framing. Each is rejected with a reason and never disturbs the server.
 */
@Timeout(60)
class HostilePeerTest {
  @TempDir Path tmp;
  private final PayloadCodec codec = PayloadCodec.create();

  private record Setup(TestFederation fed, GrpcServerTransport server, RawClient peer) {}

  private Setup setup() throws Exception {
    TestFederation fed = new TestFederation(tmp.resolve("pki"));
    GrpcServerTransport server = fed.startServer();
    RawClient peer = RawClient.connect(fed.port, fed.enrol("rogue"));
    peer.hello();
    assertThat(server.awaitClients(1, Duration.ofSeconds(10))).isTrue();
    return new Setup(fed, server, peer);
  }

  /** Runs one exchange to "rogue" while {@code respond} answers from the raw client; returns the outcome. */
  private TestFederation.Recorder exchange(Setup s, java.util.function.BiConsumer<Header, RawClient> respond)
      throws Exception {
    List<Message> requests = fitRequests(List.of(ClientId.of("rogue")), filled(TestFederation.twoNn(), 0f), 1);
    TestFederation.Recorder rec = new TestFederation.Recorder();
    CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
      try {
        byte[][] req = s.peer.awaitRequest(Duration.ofSeconds(10));
        respond.accept(codec.decodeHeader(req[0]), s.peer);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    s.server.exchange(requests, Duration.ofSeconds(5), rec);
    answered.get();
    assertThat(rec.calls.get()).isEqualTo(1);
    return rec;
  }

  private void reply(RawClient peer, Header header, byte[] payload) {
    peer.send(ClientFrame.newBuilder().setStart(Start.newBuilder().setHeader(ByteString.copyFrom(codec.encodeHeader(header)))
        .setPayloadSize(payload.length)).build());
    peer.send(ClientFrame.newBuilder().setChunk(Chunk.newBuilder().setData(ByteString.copyFrom(payload))).build());
  }

  private byte[] validResult() {
    ParameterSet p = filled(TestFederation.twoNn(), 1f);
    return codec.encodePayload(new FitResult(p, 1, MetricRecord.empty()));
  }

  @Test
  void replyClaimingAnotherClientsName_isRejected() throws Exception {
    Setup s = setup();
    try (s.fed; s.peer) {
      TestFederation.Recorder rec = exchange(s, (h, peer) -> reply(peer,
          new Header(h.runId(), 999, h.round(), ClientId.of("someone-else"), h.messageId()), validResult()));
      ClientFailure f = rec.failures.values().iterator().next();
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.REJECTED);
      assertThat(f.reason()).contains("does not match request").contains("someone-else");
    }
  }

  @Test
  void replyForAnotherRound_isRejected() throws Exception {
    Setup s = setup();
    try (s.fed; s.peer) {
      TestFederation.Recorder rec = exchange(s, (h, peer) -> reply(peer,
          new Header(h.runId(), 999, h.round() + 1, h.client(), h.messageId()), validResult()));
      assertThat(rec.failures.values().iterator().next().kind()).isEqualTo(ClientFailure.Kind.REJECTED);
    }
  }

  @Test
  void corruptPayload_isRejectedWithTheCodecsReason() throws Exception {
    Setup s = setup();
    try (s.fed; s.peer) {
      TestFederation.Recorder rec = exchange(s, (h, peer) -> {
        byte[] bad = validResult();
        bad = Arrays.copyOf(bad, bad.length - 5);
        reply(peer, new Header(h.runId(), 999, h.round(), h.client(), h.messageId()), bad);
      });
      ClientFailure f = rec.failures.values().iterator().next();
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.REJECTED);
      assertThat(f.reason()).startsWith("malformed reply:").contains("truncated input");
      assertThat(s.server.availableClients()).containsExactly(ClientId.of("rogue")); // still connected
    }
  }

  @Test
  void chunksBeyondTheDeclaredSize_closeTheStreamAsAProtocolViolation() throws Exception {
    Setup s = setup();
    try (s.fed; s.peer) {
      TestFederation.Recorder rec = exchange(s, (h, peer) -> {
        byte[] payload = validResult();
        reply(peer, new Header(h.runId(), 999, h.round(), h.client(), h.messageId()), Arrays.copyOf(payload, 10));
        peer.send(ClientFrame.newBuilder().setChunk(Chunk.newBuilder().setData(ByteString.copyFrom(payload))).build());
      });
      // the 10-byte reply arrived first and was malformed; the extra chunk then broke the framing
      assertThat(rec.failures.values().iterator().next().kind()).isEqualTo(ClientFailure.Kind.REJECTED);
      Status end = s.peer.awaitEnd(Duration.ofSeconds(10));
      assertThat(end.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(end.getDescription()).contains("chunk arrived outside any message");
      assertThat(s.server.availableClients()).isEmpty();
    }
  }

  @Test
  void messageBeforeHello_isAProtocolViolation() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      try (RawClient peer = RawClient.connect(fed.port, fed.enrol("rude"))) {
        peer.send(ClientFrame.newBuilder().setChunk(Chunk.newBuilder().setData(ByteString.copyFromUtf8("x"))).build());
        Status end = peer.awaitEnd(Duration.ofSeconds(10));
        assertThat(end.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(end.getDescription()).contains("before saying hello");
        assertThat(server.availableClients()).isEmpty();
      }
    }
  }
}
