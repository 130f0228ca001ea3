package dev.cohort.secagg.protocol;

import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.aggregate.Contribution;
import dev.cohort.core.client.ClientApp;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.client.Mod;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.round.FitReport;
import dev.cohort.core.round.FitRequest;
import dev.cohort.core.round.FitSink;
import dev.cohort.core.strategy.Instruction;
import dev.cohort.core.strategy.RoundContext;
import dev.cohort.sim.InProcessTransport;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs rounds of {@link SecureFitProtocol} against real {@link SecAggMod} clients over the
 * simulation's in-process transport; each client's "training" returns a fixed update, so tests can
 * compute the expected sum in the clear.
 */
final class SecAggHarness {
  final ParameterLayout layout;
  final Map<ClientId, float[]> updates = new TreeMap<>();
  final Map<ClientId, Long> examples = new TreeMap<>();
  final List<Contribution> added = new ArrayList<>();

  SecAggHarness(int clients, int dimension, long seed) {
    layout = ParameterLayout.builder().add("w", Shape.of(dimension)).build();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int c = 0; c < clients; c++) {
      float[] u = new float[dimension];
      for (int j = 0; j < dimension; j++) {
        u[j] = (float) (rng.nextDouble() * 0.2 - 0.1);
      }
      ClientId id = ClientId.of(String.format("client-%03d", c));
      updates.put(id, u);
      examples.put(id, 100L + rng.nextInt(900));
    }
  }

  /** A client app that returns this client's fixed update. */
  ClientApp app(ClientId id) {
    return new ClientApp() {
      @Override
      public FitResult fit(FitInstruction instruction, ClientContext context) {
        return new FitResult(ParameterSet.wrap(layout, updates.get(id).clone()), examples.get(id),
            MetricRecord.of("loss", 1.0));
      }

      @Override
      public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }

  FitReport run(SecureFitProtocol protocol, List<Mod> mods, int round) throws InterruptedException {
    List<ClientId> ids = new ArrayList<>(updates.keySet());
    try (InProcessTransport transport = InProcessTransport.create(ids,
        id -> new ClientRuntime(app(id), mods), 2)) {
      ParameterSet global = ParameterSet.zeros(layout);
      List<Instruction> plan = new ArrayList<>();
      for (ClientId id : ids) {
        plan.add(new Instruction(id, new FitInstruction(global, ConfigRecord.empty())));
      }
      FitRequest request = new FitRequest("run", new RoundContext(round, round, 1), global, plan,
          fit -> fit.examples(), Duration.ofSeconds(60));
      return protocol.collect(request, transport, new FitSink() {
        @Override
        public void add(Contribution contribution) {
          added.add(contribution);
        }

        @Override
        public void clientFinished(ClientId client, boolean success) {}
      });
    }
  }

  /** The example-weighted mean of the given clients' updates, with weights saturating at {@code cap}. */
  float[] weightedMean(List<ClientId> clients, long cap) {
    int d = layout.totalSize();
    double[] sum = new double[d];
    double weights = 0;
    for (ClientId c : clients) {
      double a = cap == 0 ? 1 : Math.min(1.0, (double) examples.get(c) / cap);
      float[] u = updates.get(c);
      for (int j = 0; j < d; j++) {
        sum[j] += a * u[j];
      }
      weights += a;
    }
    float[] out = new float[d];
    for (int j = 0; j < d; j++) {
      out[j] = (float) (sum[j] / weights);
    }
    return out;
  }
}
