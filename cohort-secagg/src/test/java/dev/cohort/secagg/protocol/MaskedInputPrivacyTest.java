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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the server holds for one client (its masked vector) is independent of that client's
 * update: it is uniform over Z_2^32, and two very different updates give views that a
 * chi-square test cannot tell apart.
 */
class MaskedInputPrivacyTest {
  private static final int D = 100_000;
  private static final int BINS = 256;
  /** The 0.999 quantile of chi-square with 255 degrees of freedom. */
  private static final double CHI2_999 = 330.5;
  private final SecureRandom random = new SecureRandom();

  private int[] maskedVectorOf(float value) {
    ParameterLayout layout = ParameterLayout.builder().add("w", Shape.of(D)).build();
    SecAggServer server = new SecAggServer(1, CommunicationGraph.complete(3), 2, 2,
        EncodingSpec.Quantized.widest(1.0, 3, 0), D, 1);
    Map<Integer, SecAggClient> clients = new HashMap<>();
    server.setupRequests().forEach((i, s) -> {
      clients.put(i, SecAggClient.start(1, s, random));
      server.acceptKeys(i, clients.get(i).advertisedKeys());
    });
    server.shareKeysRequests().forEach((i, r) -> server.acceptShares(i, clients.get(i).shareKeys(r)));
    Map<Integer, Map<Integer, byte[]>> routed = server.maskedInputRequests();
    float[] update = new float[D];
    Arrays.fill(update, value);
    FitResult fit = new FitResult(ParameterSet.wrap(layout, update), 100, MetricRecord.empty());
    MaskedInputRequest request = new MaskedInputRequest(
        new FitInstruction(ParameterSet.zeros(layout), ConfigRecord.empty()), routed.get(1));
    return clients.get(1).maskInput(request, fit, random).vector();
  }

  private static long[] topByteHistogram(int[] v) {
    long[] h = new long[BINS];
    for (int x : v) {
      h[x >>> 24]++;
    }
    return h;
  }

  @Test
  void maskedVectorIsUniform_evenForAConstantUpdate() {
    long[] h = topByteHistogram(maskedVectorOf(0.5f));
    double expected = (double) (D + 1) / BINS;
    double chi2 = 0;
    for (long c : h) {
      chi2 += (c - expected) * (c - expected) / expected;
    }
    assertThat(chi2).isLessThan(CHI2_999);
  }

  @Test
  void twoDifferentUpdatesGiveIndistinguishableViews() {
    long[] a = topByteHistogram(maskedVectorOf(-1.0f));
    long[] b = topByteHistogram(maskedVectorOf(1.0f));
    double chi2 = 0;
    for (int i = 0; i < BINS; i++) {
      double total = a[i] + b[i];
      if (total > 0) {
        double ea = total / 2;
        chi2 += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - ea) * (b[i] - ea) / ea;
      }
    }
    assertThat(chi2).isLessThan(CHI2_999);
  }
}
