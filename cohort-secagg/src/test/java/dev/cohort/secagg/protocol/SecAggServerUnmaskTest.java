package dev.cohort.secagg.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInputRequest;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server removes masks on several threads, each over its own range of the sum: whatever the
 * thread count, vector length (not a multiple of an AES block, or shorter than one block per
 * thread) and dropouts, the unmasked sum must be exactly the sum of the survivors' encodings.
 */
class SecAggServerUnmaskTest {
  private static final int ROUND = 9;

  @ParameterizedTest(name = "{0} clients, dimension {1}, {2} dropped, {3} threads")
  @CsvSource({
      "12, 1001, 0, 1", "12, 1001, 0, 2", "12, 1001, 3, 3", "12, 1001, 3, 8",
      "6, 2, 1, 4", "6, 6, 2, 2", "10, 40000, 2, 3"})
  void unmaskedSum_isTheSurvivorsEncodedSum(int n, int dimension, int dropped, int threads) throws Exception {
    SecureRandom random = new SecureRandom();
    SplittableRandom data = new SplittableRandom(n * 31L + dimension);
    ParameterLayout layout = ParameterLayout.builder().add("w", Shape.of(dimension)).build();
    CommunicationGraph graph = CommunicationGraph.complete(n);
    EncodingSpec encoding = EncodingSpec.Quantized.widest(1.0, n, 100);
    int t = n / 2 + 1;
    SecAggServer server = new SecAggServer(ROUND, graph, t, CommunicationGraph.shareThreshold(n - 1, 0.5),
        encoding, dimension, threads);
    Map<Integer, SecAggClient> clients = new HashMap<>();
    for (var e : server.setupRequests().entrySet()) {
      SecAggClient c = SecAggClient.start(ROUND, e.getValue(), random);
      clients.put(e.getKey(), c);
      assertThat(server.acceptKeys(e.getKey(), c.advertisedKeys())).isNull();
    }
    for (var e : server.shareKeysRequests().entrySet()) {
      assertThat(server.acceptShares(e.getKey(), clients.get(e.getKey()).shareKeys(e.getValue()))).isNull();
    }
    int[] expected = new int[encoding.vectorLength(dimension)];
    FitInstruction fit = new FitInstruction(ParameterSet.zeros(layout), ConfigRecord.empty());
    for (var e : server.maskedInputRequests().entrySet()) {
      int i = e.getKey();
      if (i <= dropped) {
        continue; // shared keys, then dropped: its pairwise masks must be recovered
      }
      float[] update = new float[dimension];
      for (int j = 0; j < dimension; j++) {
        update[j] = (float) (data.nextDouble() * 2.4 - 1.2);
      }
      long examples = 1 + data.nextInt(200);
      FitResult result = new FitResult(ParameterSet.wrap(layout, update), examples, MetricRecord.empty());
      int[] encoded = encoding.encode(update, examples, random);
      for (int j = 0; j < expected.length; j++) {
        expected[j] += encoded[j];
      }
      SecAggPayload.MaskedInput input = clients.get(i).maskInput(new MaskedInputRequest(fit, e.getValue()), result,
          random);
      assertThat(input.vector()).as("client %d's input is masked", i).isNotEqualTo(encoded);
      assertThat(server.acceptMaskedInput(i, input)).isNull();
    }
    assertThat(server.dropped()).hasSize(dropped);
    for (var e : server.unmaskRequests().entrySet()) {
      assertThat(server.acceptUnmask(e.getKey(), clients.get(e.getKey()).unmask(e.getValue()))).isNull();
    }
    assertThat(server.maskCount()).isEqualTo((n - dropped) + dropped * (n - dropped));
    assertThat(server.unmaskedSum()).isEqualTo(expected);
    assertThat(server.maskedInputs()).isEqualTo(survivors(dropped, n));
  }

  private static Set<Integer> survivors(int dropped, int n) {
    Set<Integer> out = new java.util.TreeSet<>();
    for (int i = dropped + 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }
}
