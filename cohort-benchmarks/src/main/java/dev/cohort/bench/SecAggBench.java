package dev.cohort.bench;

import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.secagg.protocol.CommunicationGraph;
import dev.cohort.secagg.protocol.EncodingSpec;
import dev.cohort.secagg.protocol.SecAggClient;
import dev.cohort.secagg.protocol.SecAggPayload;
import dev.cohort.secagg.protocol.SecAggServer;
import dev.cohort.secagg.protocol.SecAggSettings;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The cost of one SecAgg+ round with {@code clients} clients and {@code params}-element updates,
 * {@code dropout} of them vanishing after sharing keys (before sending their masked input, the
 * costliest case for the server, as in Bonawitz et al.'s Figure 8). Client and server work is run
 * on one thread and timed separately, so the figures are the compute each party spends (no
 * network): client seconds are the mean over clients of their four stages; server seconds cover
 * routing, summing the masked inputs and unmasking (which uses {@code serverThreads}).
 */
public final class SecAggBench {
  private SecAggBench() {}

  /** One measured round. */
  public record Result(int clients, int params, double dropout, int degree, int threshold, int survivors,
      double clientSeconds, double clientMaxSeconds, double serverSeconds, double unmaskSeconds, long masksRemoved) {}

  /** The median over {@code results} of one of their figures. */
  public static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> figure) {
    return Medians.median(results.stream().mapToDouble(figure).toArray());
  }

  /** Runs {@code rounds} rounds after one warm-up and returns each measured round. */
  public static List<Result> run(int clients, int params, double dropout, int serverThreads, int rounds)
      throws InterruptedException {
    List<Result> out = new ArrayList<>();
    for (int r = 0; r <= rounds; r++) {
      Result res = round(clients, params, dropout, serverThreads, r + 1);
      if (r > 0) {
        out.add(res);
      }
    }
    return out;
  }

  private static Result round(int n, int d, double dropout, int threads, int round) throws InterruptedException {
    SecureRandom random = new SecureRandom();
    SecAggSettings settings = SecAggSettings.defaults().withDropoutTolerance(Math.max(0.3, dropout));
    double fraction = settings.threshold().fractionOf(n);
    int t = settings.threshold().resolve(n);
    int k = CommunicationGraph.degreeFor(n, fraction, settings.dropoutTolerance(), 1e-3);
    CommunicationGraph graph = CommunicationGraph.forCohort(n, k, random);
    int shareThreshold = CommunicationGraph.shareThreshold(graph.degree(), fraction);
    EncodingSpec encoding = EncodingSpec.Quantized.widest(1.0, n, 10_000);
    long[] clientNanos = new long[n + 1];
    long serverNanos = 0;

    long s0 = System.nanoTime();
    SecAggServer server = new SecAggServer(round, graph, t, shareThreshold, encoding, d, threads);
    Map<Integer, SecAggPayload.SetupRequest> setups = server.setupRequests();
    serverNanos += System.nanoTime() - s0;
    Map<Integer, SecAggClient> clients = new HashMap<>();
    for (var e : setups.entrySet()) {
      long c0 = System.nanoTime();
      SecAggClient c = SecAggClient.start(round, e.getValue(), random);
      SecAggPayload.KeysAdvertised keys = c.advertisedKeys();
      clientNanos[e.getKey()] += System.nanoTime() - c0;
      clients.put(e.getKey(), c);
      long a0 = System.nanoTime();
      server.acceptKeys(e.getKey(), keys);
      serverNanos += System.nanoTime() - a0;
    }
    s0 = System.nanoTime();
    Map<Integer, SecAggPayload.ShareKeysRequest> shareRequests = server.shareKeysRequests();
    serverNanos += System.nanoTime() - s0;
    for (var e : shareRequests.entrySet()) {
      long c0 = System.nanoTime();
      SecAggPayload.SharesSent sent = clients.get(e.getKey()).shareKeys(e.getValue());
      clientNanos[e.getKey()] += System.nanoTime() - c0;
      long a0 = System.nanoTime();
      server.acceptShares(e.getKey(), sent);
      serverNanos += System.nanoTime() - a0;
    }
    s0 = System.nanoTime();
    Map<Integer, Map<Integer, byte[]>> routed = server.maskedInputRequests();
    serverNanos += System.nanoTime() - s0;
    ParameterLayout layout = ParameterLayout.builder().add("update", Shape.of(d)).build();
    FitInstruction fit = new FitInstruction(ParameterSet.zeros(layout), ConfigRecord.empty());
    SplittableRandom data = new SplittableRandom(round);
    int dropCount = (int) Math.round(dropout * n);
    for (var e : routed.entrySet()) {
      if (e.getKey() <= dropCount) {
        continue; // vanishes after sharing keys
      }
      float[] u = new float[d];
      for (int j = 0; j < d; j++) {
        u[j] = (float) (data.nextDouble() * 0.02 - 0.01);
      }
      FitResult result = new FitResult(ParameterSet.wrap(layout, u), 600, MetricRecord.empty());
      long c0 = System.nanoTime();
      SecAggPayload.MaskedInput masked = clients.get(e.getKey())
          .maskInput(new SecAggPayload.MaskedInputRequest(fit, e.getValue()), result, random);
      clientNanos[e.getKey()] += System.nanoTime() - c0;
      long a0 = System.nanoTime();
      server.acceptMaskedInput(e.getKey(), masked);
      serverNanos += System.nanoTime() - a0;
    }
    s0 = System.nanoTime();
    Map<Integer, SecAggPayload.UnmaskRequest> unmask = server.unmaskRequests();
    serverNanos += System.nanoTime() - s0;
    for (var e : unmask.entrySet()) {
      long c0 = System.nanoTime();
      SecAggPayload.UnmaskShares shares = clients.get(e.getKey()).unmask(e.getValue());
      clientNanos[e.getKey()] += System.nanoTime() - c0;
      long a0 = System.nanoTime();
      server.acceptUnmask(e.getKey(), shares);
      serverNanos += System.nanoTime() - a0;
    }
    long masks = server.maskCount();
    long u0 = System.nanoTime();
    int[] sum = server.unmaskedSum();
    long unmaskNanos = System.nanoTime() - u0;
    serverNanos += unmaskNanos;
    encoding.decode(sum, n - dropCount);
    long[] survivorsNanos = Arrays.copyOfRange(clientNanos, dropCount + 1, n + 1);
    double mean = Arrays.stream(survivorsNanos).average().orElse(0) / 1e9;
    double max = Arrays.stream(survivorsNanos).max().orElse(0) / 1e9;
    return new Result(n, d, dropout, graph.degree(), t, n - dropCount, mean, max, serverNanos / 1e9,
        unmaskNanos / 1e9, masks);
  }
}
