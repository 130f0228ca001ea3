package dev.cohort.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.client.ClientApp;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.strategy.FedAvg;
import dev.cohort.core.strategy.RoundKeys;
import dev.cohort.core.transport.Transport;
import dev.cohort.server.Coordinator;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunResult;
import dev.cohort.sim.InProcessTransport;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unchanged coordinator and client runtime run over gRPC exactly as in simulation: the same
 * FedAvg run gives bit-identical global parameters over the in-process transport and over mutual
 * TLS on loopback (with replies delivered in request order, as the simulation does).
 */
@Timeout(60)
class CoordinatorOverGrpcTest {
  @TempDir Path tmp;

  private static final ParameterLayout LAYOUT = ParameterLayout.builder()
      .add("w", Shape.of(300, 100)).add("b", Shape.of(100)).build();
  private static final List<ClientId> IDS = List.of(ClientId.of("site-1"), ClientId.of("site-2"), ClientId.of("site-3"));

  /** Moves half-way from the global model to a client-specific target, with seeded noise from the round's seed. */
  static final class DriftClient implements ClientApp {
    private final int index;

    DriftClient(ClientId id) {
      this.index = IDS.indexOf(id) + 1;
    }

    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
      SplittableRandom r = new SplittableRandom(context.localSeed(instruction.config().require(RoundKeys.SEED)));
      float[] g = instruction.global().data();
      float[] u = new float[g.length];
      for (int i = 0; i < u.length; i++) {
        u[i] = 0.5f * (index * 0.1f + (float) r.nextGaussian() * 0.01f - g[i]);
      }
      return new FitResult(ParameterSet.wrap(LAYOUT, u), 100L * index, MetricRecord.of("loss", 1.0 / index));
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
      return new EvaluateResult(0.1 * index, 10, MetricRecord.of("accuracy", 0.5 + 0.1 * index));
    }
  }

  private static RunResult run(Transport transport) throws InterruptedException {
    return Coordinator.builder().runId("same-run").transport(transport)
        .strategy(FedAvg.builder().minClients(3).evaluateFraction(1.0).build())
        .initialParameters(ParameterSet.zeros(LAYOUT)).rounds(3).roundTimeout(Duration.ofSeconds(30)).seed(42)
        .build().run();
  }

  @Test
  void fedAvgOverGrpc_matchesTheSimulationBitForBit() throws Exception {
    RunResult simulated;
    try (InProcessTransport sim = InProcessTransport.create(IDS, id -> new ClientRuntime(new DriftClient(id), List.of()), 2)) {
      simulated = run(sim);
    }
    RunResult deployed;
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.deliverInRequestOrder(true));
      for (ClientId id : IDS) {
        fed.connect(fed.enrol(id.value()), new DriftClient(id));
      }
      assertThat(server.awaitClients(3, Duration.ofSeconds(20))).isTrue();
      deployed = run(server);
      server.close();
      for (GrpcClientConnector c : fed.clients) {
        assertThat(c.await(Duration.ofSeconds(10))).contains(GrpcClientConnector.Outcome.FINISHED);
      }
    }
    assertThat(deployed.rounds()).hasSize(3).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(
        RoundOutcome.Completed.class, c -> {
          assertThat(c.contributors()).isEqualTo(3);
          assertThat(c.failures()).isEmpty();
          assertThat(c.federatedEvaluation()).isPresent();
        }));
    assertThat(Arrays.equals(deployed.finalParameters().data(), simulated.finalParameters().data())).isTrue();
    RoundOutcome.Completed lastSim = (RoundOutcome.Completed) simulated.rounds().getLast();
    RoundOutcome.Completed lastDep = (RoundOutcome.Completed) deployed.rounds().getLast();
    assertThat(lastDep.trainLoss()).isEqualTo(lastSim.trainLoss());
    assertThat(lastDep.federatedEvaluation()).isEqualTo(lastSim.federatedEvaluation());
  }
}
