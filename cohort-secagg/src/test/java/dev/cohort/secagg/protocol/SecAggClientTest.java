package dev.cohort.secagg.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.secagg.protocol.SecAggPayload.KeysAdvertised;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInput;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInputRequest;
import dev.cohort.secagg.protocol.SecAggPayload.SetupRequest;
import dev.cohort.secagg.protocol.SecAggPayload.ShareKeysRequest;
import dev.cohort.secagg.protocol.SecAggPayload.SharesSent;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskRequest;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskShares;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client state machine against a server that misbehaves: messages out of stage, replays,
 * forged shares and the request that would reveal both shares of one peer. Three clients on the
 * complete graph, driven through the real {@link SecAggServer}.
 */
class SecAggClientTest {
  private static final int ROUND = 4;
  private final SecureRandom random = new SecureRandom();
  private final ParameterLayout layout = ParameterLayout.builder().add("w", Shape.of(8)).build();
  private SecAggServer server;
  private final Map<Integer, SecAggClient> clients = new HashMap<>();
  private Map<Integer, Map<Integer, byte[]>> routed;

  @BeforeEach
  void upToMaskedInput() {
    CommunicationGraph graph = CommunicationGraph.complete(3);
    EncodingSpec encoding = EncodingSpec.Quantized.widest(1.0, 3, 0);
    server = new SecAggServer(ROUND, graph, 2, 2, encoding, 8, 1);
    for (var e : server.setupRequests().entrySet()) {
      SecAggClient c = SecAggClient.start(ROUND, e.getValue(), random);
      clients.put(e.getKey(), c);
      assertThat(server.acceptKeys(e.getKey(), c.advertisedKeys())).isNull();
    }
    for (var e : server.shareKeysRequests().entrySet()) {
      assertThat(server.acceptShares(e.getKey(), clients.get(e.getKey()).shareKeys(e.getValue()))).isNull();
    }
    routed = server.maskedInputRequests();
  }

  private FitResult fit() {
    return new FitResult(ParameterSet.zeros(layout), 10, MetricRecord.empty());
  }

  private MaskedInputRequest maskRequest(int index) {
    return new MaskedInputRequest(new FitInstruction(ParameterSet.zeros(layout), ConfigRecord.empty()),
        routed.get(index));
  }

  /* --- stages --- */

  @Test
  void shareKeysTwice_isRefusedAsOutOfStage() {
    assertThatThrownBy(() -> clients.get(1).shareKeys(new ShareKeysRequest(Map.of())))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("in stage SHARED");
  }

  @Test
  void unmaskBeforeMaskedInput_isRefused() {
    assertThatThrownBy(() -> clients.get(1).unmask(new UnmaskRequest(new int[] {2, 3}, new int[0])))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("expects one in stage MASKED");
  }

  @Test
  void unmaskAnswersOnce_replayIsRefused() {
    clients.get(1).maskInput(maskRequest(1), fit(), random);
    UnmaskShares first = clients.get(1).unmask(new UnmaskRequest(new int[] {1, 2, 3}, new int[0]));
    assertThat(first.selfMaskShares()).containsOnlyKeys(1, 2, 3);
    assertThatThrownBy(() -> clients.get(1).unmask(new UnmaskRequest(new int[0], new int[] {2})))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("stage DONE");
  }

  /* --- never both shares --- */

  @Test
  void unmaskNamingAPeerAsSurvivorAndDropped_isRefusedAndRevealsNothing() {
    clients.get(1).maskInput(maskRequest(1), fit(), random);
    assertThatThrownBy(() -> clients.get(1).unmask(new UnmaskRequest(new int[] {1, 2}, new int[] {2})))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("both survivor and dropped");
    assertThat(clients.get(1).stage()).isEqualTo(SecAggClient.Stage.MASKED);
  }

  @Test
  void unmaskAskingForOwnKeyShare_isRefused() {
    clients.get(1).maskInput(maskRequest(1), fit(), random);
    assertThatThrownBy(() -> clients.get(1).unmask(new UnmaskRequest(new int[] {2, 3}, new int[] {1})))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("dropped client 1");
  }

  @Test
  void unmaskWithTooFewSurvivors_isRefused() {
    clients.get(1).maskInput(maskRequest(1), fit(), random);
    assertThatThrownBy(() -> clients.get(1).unmask(new UnmaskRequest(new int[] {1}, new int[] {2, 3})))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("survived");
  }

  /* --- forged messages --- */

  @Test
  void tamperedShareCiphertext_failsAuthentication() {
    Map<Integer, byte[]> forged = new HashMap<>(routed.get(1));
    byte[] c = forged.get(2).clone();
    c[c.length - 1] ^= 1;
    forged.put(2, c);
    MaskedInputRequest request = new MaskedInputRequest(
        new FitInstruction(ParameterSet.zeros(layout), ConfigRecord.empty()), forged);
    assertThatThrownBy(() -> clients.get(1).maskInput(request, fit(), random))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("fail authentication");
  }

  @Test
  void shareAddressedToAnotherClient_failsAuthentication() {
    Map<Integer, byte[]> swapped = new HashMap<>(routed.get(1));
    swapped.put(2, routed.get(3).get(2)); // 2's share for 3, replayed to 1
    MaskedInputRequest request = new MaskedInputRequest(
        new FitInstruction(ParameterSet.zeros(layout), ConfigRecord.empty()), swapped);
    assertThatThrownBy(() -> clients.get(1).maskInput(request, fit(), random))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void peerKeysReusingAnotherPartysKey_areRefused() {
    SetupRequest setup = new SetupRequest(1, 3, new int[] {2, 3}, 2, EncodingSpec.Quantized.widest(1.0, 3, 0));
    SecAggClient c = SecAggClient.start(ROUND, setup, random);
    KeysAdvertised own = c.advertisedKeys();
    KeysAdvertised other = clients.get(2).advertisedKeys();
    assertThatThrownBy(() -> c.shareKeys(new ShareKeysRequest(Map.of(2, other, 3, own))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("another party");
  }

  @Test
  void peerKeysForANonNeighbour_areRefused() {
    SetupRequest setup = new SetupRequest(1, 5, new int[] {2, 3}, 2, EncodingSpec.Quantized.widest(1.0, 5, 0));
    SecAggClient c = SecAggClient.start(ROUND, setup, random);
    assertThatThrownBy(() -> c.shareKeys(new ShareKeysRequest(Map.of(4, clients.get(2).advertisedKeys()))))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("not a neighbour");
  }

  /* --- the server refuses malformed replies --- */

  @Test
  void serverRefusesDuplicateAndWrongLengthMaskedInputs() {
    MaskedInput good = clients.get(1).maskInput(maskRequest(1), fit(), random);
    assertThat(server.acceptMaskedInput(1, good)).isNull();
    assertThat(server.acceptMaskedInput(1, good)).contains("already sent");
    assertThat(server.acceptMaskedInput(2, new MaskedInput(new int[3], MetricRecord.empty())))
        .contains("has 3 values, not 9");
  }

  @Test
  void serverRefusesSharesWithTheWrongPoint() {
    for (int i = 1; i <= 3; i++) {
      server.acceptMaskedInput(i, clients.get(i).maskInput(maskRequest(i), fit(), random));
    }
    Map<Integer, UnmaskRequest> asks = server.unmaskRequests();
    UnmaskShares honest = clients.get(1).unmask(asks.get(1));
    Map<Integer, SecAggPayload.ShareValue> shifted = new HashMap<>(honest.selfMaskShares());
    SecAggPayload.ShareValue s = shifted.get(2);
    shifted.put(2, new SecAggPayload.ShareValue(s.point() + 1, s.values()));
    assertThat(server.acceptUnmask(1, new UnmaskShares(shifted, Map.of()))).contains("has point");
    assertThat(server.acceptUnmask(1, honest)).isNull();
  }

  @Test
  void serverRefusesSharesAddressedToNonNeighbours() {
    SecAggServer fresh = new SecAggServer(ROUND, CommunicationGraph.complete(3), 2, 2,
        EncodingSpec.Quantized.widest(1.0, 3, 0), 8, 1);
    fresh.setupRequests();
    for (int i = 1; i <= 3; i++) {
      fresh.acceptKeys(i, clients.get(i).advertisedKeys());
    }
    fresh.shareKeysRequests();
    assertThat(fresh.acceptShares(1, new SharesSent(Map.of(2, new byte[PairwiseKeys.SHARE_MESSAGE_BYTES]))))
        .contains("exactly the neighbours [2, 3]");
  }
}
