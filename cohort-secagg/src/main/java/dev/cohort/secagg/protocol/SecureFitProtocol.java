package dev.cohort.secagg.protocol;

import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.aggregate.Contribution;
import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.Message;
import dev.cohort.core.message.Payload;
import dev.cohort.core.round.FitChecks;
import dev.cohort.core.round.FitProtocol;
import dev.cohort.core.round.FitReport;
import dev.cohort.core.round.FitRequest;
import dev.cohort.core.round.FitSink;
import dev.cohort.core.strategy.Instruction;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.core.transport.Transport;
import dev.cohort.secagg.encoding.Quantizer;
import dev.cohort.secagg.protocol.SecAggPayload.KeysAdvertised;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInput;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInputRequest;
import dev.cohort.secagg.protocol.SecAggPayload.SharesSent;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskShares;
import dev.cohort.tensor.ParameterSet;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Secure aggregation as a {@link FitProtocol}: the server learns only the sum of the surviving
 * clients' updates. A round runs SecAgg+ (Bell et al., CCS 2020) in four exchanges over the
 * ordinary {@link Transport}: key advertisement, key sharing, masked input (the clients train here,
 * on the strategy's {@link FitInstruction}) and unmasking, driving a {@link SecAggServer}. Clients
 * that fail, time out or send something refused at any stage count as dropped; the round completes
 * while at least the threshold survive and aborts otherwise, with nothing added to the aggregation.
 * The decoded mean goes to the aggregation as one contribution, which is why the aggregation under
 * secure aggregation must be linear. Clients run {@link SecAggMod}.
 *
 * <p>Measurements per round: {@code secagg.cohort}, {@code secagg.survivors}, {@code secagg.dropped}
 * (clients that took no part in the sum), {@code secagg.recovered} (dropped after sharing keys, so
 * their pairwise masks were reconstructed and removed), {@code secagg.degree},
 * {@code secagg.threshold}, {@code secagg.unmask_seconds}, and with distributed DP
 * {@code secagg.noise_multiplier}. Thread-safe: all per-round state lives in the call.
 */
public final class SecureFitProtocol implements FitProtocol {
  /** The client id under which the unmasked sum reaches the aggregation. */
  public static final ClientId SUM = ClientId.of("secure-sum");
  private final SecAggSettings settings;
  private final SecureRandom random = new SecureRandom();

  public SecureFitProtocol(SecAggSettings settings) {
    this.settings = java.util.Objects.requireNonNull(settings, "settings");
  }

  public SecAggSettings settings() {
    return settings;
  }

  @Override
  public boolean requiresLinearAggregation() {
    return true;
  }

  @Override
  public String describe() {
    return "secagg+(threshold=" + settings.threshold() + ", degree="
        + (settings.degree() == 0 ? "auto" : settings.degree())
        + settings.distributedDp().map(d -> ", distributed-dp(z=" + d.noiseMultiplier() + ", clip=" + d.clipNorm() + ")")
            .orElse("") + ")";
  }

  /** The encoding a cohort of {@code n} with threshold {@code t} uses for updates of {@code dimension} floats. */
  public EncodingSpec encodingFor(int n, int t, int dimension) {
    if (settings.distributedDp().isPresent()) {
      SecAggSettings.DistributedNoise dp = settings.distributedDp().get();
      return EncodingSpec.DistributedDp.forNoiseMultiplier(dp.clipNorm(), dp.noiseMultiplier(), n, t, dimension);
    }
    int bits = settings.bits() == 0 ? Quantizer.maxBits(n) : settings.bits();
    return new EncodingSpec.Quantized(settings.range(), bits, n, settings.weightCap());
  }

  /** The round's graph: the configured degree, or the smallest that tolerates the expected dropout. */
  private CommunicationGraph graphFor(int n, double fraction) {
    int k = settings.degree() != 0 ? settings.degree()
        : CommunicationGraph.degreeFor(n, fraction, settings.dropoutTolerance(), 1e-3);
    return CommunicationGraph.forCohort(n, k, random);
  }

  @Override
  public FitReport collect(FitRequest request, Transport transport, FitSink sink) throws InterruptedException {
    Round r = new Round(request, transport, sink);
    return r.run();
  }

  /** One round's state. */
  private final class Round {
    private final FitRequest request;
    private final Transport transport;
    private final FitSink sink;
    private final List<ClientId> clients = new ArrayList<>();
    private final List<FitInstruction> fits = new ArrayList<>();
    private final List<ClientFailure> failures = new ArrayList<>();
    private final Set<Integer> finished = new HashSet<>();
    private final Map<String, Double> stageSeconds = new java.util.LinkedHashMap<>();
    private double lossSum;
    private double maskSeconds;
    private double trainSeconds;
    private int lossCount;

    Round(FitRequest request, Transport transport, FitSink sink) {
      this.request = request;
      this.transport = transport;
      this.sink = sink;
      for (Instruction i : request.plan()) {
        if (!(i.payload() instanceof FitInstruction fit)) {
          throw new IllegalArgumentException("secure aggregation carries fit instructions, not "
              + i.payload().getClass().getSimpleName());
        }
        clients.add(i.client());
        fits.add(fit);
      }
    }

    FitReport run() throws InterruptedException {
      int n = clients.size();
      MetricRecord m = MetricRecord.of("secagg.cohort", n);
      if (n < 2) {
        return abort("secure aggregation needs at least 2 clients but the round sampled " + n, m);
      }
      double fraction = settings.threshold().fractionOf(n);
      int t = settings.threshold().resolve(n);
      if (settings.threshold().count() > n) {
        return abort("the round sampled " + n + " clients but the secure-aggregation threshold is "
            + settings.threshold().count(), m);
      }
      int dimension = request.global().size();
      CommunicationGraph graph = graphFor(n, fraction);
      int k = graph.degree();
      int shareThreshold = CommunicationGraph.shareThreshold(k, fraction);
      EncodingSpec encoding = encodingFor(n, t, dimension);
      SecAggServer server = new SecAggServer(request.round(), graph, t, shareThreshold, encoding, dimension,
          settings.threads());
      m = m.with("secagg.degree", k).with("secagg.threshold", t);
      try {
        stage("advertise keys", server.setupRequests(), KeysAdvertised.class, server::acceptKeys);
        stage("share keys", server.shareKeysRequests(), SharesSent.class, server::acceptShares);
        Map<Integer, MaskedInputRequest> maskRequests = new java.util.TreeMap<>();
        server.maskedInputRequests().forEach((i, c) -> maskRequests.put(i, new MaskedInputRequest(fits.get(i - 1), c)));
        stage("masked input", maskRequests, MaskedInput.class, (i, input) -> {
          String problem = server.acceptMaskedInput(i, input);
          if (problem == null) {
            maskSeconds += input.metrics().values().getOrDefault(SecAggMod.MASK_SECONDS, 0.0);
            trainSeconds += input.metrics().values().getOrDefault(SecAggMod.TRAIN_SECONDS, 0.0);
            double loss = input.metrics().get("loss");
            if (Double.isFinite(loss)) {
              lossSum += loss;
              lossCount++;
            }
            finished.add(i);
            sink.clientFinished(clients.get(i - 1), true);
          }
          return problem;
        });
        Set<Integer> recovered = server.dropped();
        stage("unmask", server.unmaskRequests(), UnmaskShares.class, server::acceptUnmask);
        long start = System.nanoTime();
        int[] sum = server.unmaskedSum();
        double unmaskSeconds = (System.nanoTime() - start) / 1e9;
        int survivors = server.maskedInputs().size();
        EncodingSpec.Decoded decoded = encoding.decode(sum, survivors);
        sink.add(new Contribution(SUM, ParameterSet.wrap(request.global().layout(), decoded.mean()), decoded.weight()));
        m = m.with("secagg.survivors", survivors).with("secagg.dropped", n - survivors)
            .with("secagg.recovered", recovered.size()).with("secagg.unmask_seconds", unmaskSeconds)
            .with("secagg.client_mask_seconds", maskSeconds / Math.max(1, survivors))
            .with("secagg.client_train_seconds", trainSeconds / Math.max(1, survivors));
        for (var e : stageSeconds.entrySet()) {
          m = m.with("secagg.seconds." + e.getKey().replace(' ', '_'), e.getValue());
        }
        if (encoding instanceof EncodingSpec.DistributedDp dp) {
          m = m.with("secagg.noise_multiplier", dp.effectiveNoiseMultiplier(survivors, dimension));
        }
        finishRest();
        return new FitReport(survivors, failures, lossCount > 0 ? lossSum / lossCount : Double.NaN, m,
            Optional.empty());
      } catch (SecAggServer.QuorumException e) {
        finishRest();
        return abort("secure aggregation: " + e.getMessage(), m);
      }
    }

    private FitReport abort(String reason, MetricRecord m) {
      return new FitReport(0, failures, Double.NaN, m, Optional.of(reason));
    }

    private void finishRest() {
      for (int i = 1; i <= clients.size(); i++) {
        if (finished.add(i)) {
          sink.clientFinished(clients.get(i - 1), false);
        }
      }
    }

    private <P extends Payload, R extends Payload> void stage(String name, Map<Integer, P> payloads, Class<R> replyType,
        BiFunction<Integer, R, String> accept) throws InterruptedException {
      long start = System.nanoTime();
      try {
        exchange(name, payloads, replyType, accept);
      } finally {
        stageSeconds.put(name, (System.nanoTime() - start) / 1e9);
      }
    }

    private <P extends Payload, R extends Payload> void exchange(String name, Map<Integer, P> payloads,
        Class<R> replyType, BiFunction<Integer, R, String> accept) throws InterruptedException {
      List<Message> messages = new ArrayList<>(payloads.size());
      Map<Long, Integer> indexOf = new java.util.HashMap<>();
      for (var e : payloads.entrySet()) {
        Message msg = Message.request(request.runId(), request.round(), clients.get(e.getKey() - 1), e.getValue());
        indexOf.put(msg.header().messageId(), e.getKey());
        messages.add(msg);
      }
      transport.exchange(messages, request.stageTimeout(), new ReplyListener() {
        @Override
        public void onReply(Message sent, Message reply) {
          int index = indexOf.get(sent.header().messageId());
          String problem = FitChecks.replyProblem(sent, reply, request.round());
          if (problem == null && !replyType.isInstance(reply.payload())) {
            problem = "expected " + replyType.getSimpleName() + " but got " + reply.payload().getClass().getSimpleName();
          }
          if (problem == null) {
            try {
              problem = accept.apply(index, replyType.cast(reply.payload()));
            } catch (ProtocolException | IllegalArgumentException e) {
              problem = e.getMessage();
            }
          }
          if (problem != null) {
            fail(index, reply.payload() instanceof ErrorReply ? ClientFailure.Kind.CLIENT_ERROR
                : ClientFailure.Kind.REJECTED, name + ": " + problem);
          }
        }

        @Override
        public void onFailure(Message sent, ClientFailure failure) {
          fail(indexOf.get(sent.header().messageId()), failure.kind(), name + ": " + failure.reason());
        }
      });
    }

    private void fail(int index, ClientFailure.Kind kind, String reason) {
      ClientId client = clients.get(index - 1);
      failures.add(new ClientFailure(client, kind, reason));
      if (finished.add(index)) {
        sink.clientFinished(client, false);
      }
    }
  }
}
