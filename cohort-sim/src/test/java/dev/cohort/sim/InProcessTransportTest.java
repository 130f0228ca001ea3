package dev.cohort.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.server.Coordinator;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunResult;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The coordinator's round loop over the in-process transport, with real clients and injected faults. */
class InProcessTransportTest {
  private static final ParameterLayout LAYOUT = ParameterLayout.builder()
      .add("w", Shape.of(3, 2)).add("b", Shape.of(2)).build();

  private static List<ClientId> ids(int n) {
    return IntStream.range(0, n).mapToObj(i -> ClientId.of("c" + i)).toList();
  }

  private static Map<ClientId, float[][]> data(List<ClientId> ids, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<ClientId, float[][]> m = new java.util.HashMap<>();
    for (ClientId id : ids) {
      float[][] rows = new float[1 + rng.nextInt(20)][LAYOUT.totalSize()];
      for (float[] r : rows) {
        for (int j = 0; j < r.length; j++) {
          r[j] = (float) rng.nextGaussian();
        }
      }
      m.put(id, rows);
    }
    return m;
  }

  private static RunResult run(List<ClientId> ids, Function<ClientId, ClientRuntime> runtimes, int minClients,
      Duration timeout) throws InterruptedException {
    return run(ids, runtimes, minClients, timeout, 0);
  }

  private static RunResult run(List<ClientId> ids, Function<ClientId, ClientRuntime> runtimes, int minClients,
      Duration timeout, int quorum) throws InterruptedException {
    try (InProcessTransport t = InProcessTransport.create(ids, runtimes, 2)) {
      return Coordinator.builder().transport(t)
          .strategy(FedAvg.builder().minClients(minClients).build())
          .initialParameters(ParameterSet.zeros(LAYOUT)).rounds(1).roundTimeout(timeout).quorum(quorum).build().run();
    }
  }

  @Test
  void fedAvgRound_givesExampleWeightedMeanOfAllClients() throws Exception {
    List<ClientId> ids = ids(7);
    Map<ClientId, float[][]> data = data(ids, 1);
    RunResult result = run(ids, id -> new ClientRuntime(new MeanEstimationClient(data.get(id)), List.of()), 1,
        Duration.ofMinutes(1));

    double[] expected = new double[LAYOUT.totalSize()];
    int total = 0;
    for (float[][] rows : data.values()) {
      for (float[] r : rows) {
        for (int j = 0; j < r.length; j++) {
          expected[j] += r[j];
        }
        total++;
      }
    }
    assertThat(result.rounds()).singleElement().isInstanceOf(RoundOutcome.Completed.class);
    float[] got = result.finalParameters().data();
    for (int j = 0; j < expected.length; j++) {
      assertThat((double) got[j]).isCloseTo(expected[j] / total, within(1e-5));
    }
  }

  @Test
  void clientThatThrows_isReportedAndRoundCompletesWithOthers() throws Exception {
    List<ClientId> ids = ids(5);
    Map<ClientId, float[][]> data = data(ids, 2);
    RunResult result = run(ids, id -> new ClientRuntime(id.value().equals("c3")
        ? new FailingClient() : new MeanEstimationClient(data.get(id)), List.of()), 3, Duration.ofMinutes(1));

    RoundOutcome.Completed c = (RoundOutcome.Completed) result.rounds().get(0);
    assertThat(c.contributors()).isEqualTo(4);
    assertThat(c.failures()).singleElement().satisfies(f -> {
      assertThat(f.client()).isEqualTo(ClientId.of("c3"));
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.CLIENT_ERROR);
      assertThat(f.reason()).contains("disk on fire");
    });
  }

  @Test
  void nanUpdate_isRejectedNamingTheParameter() throws Exception {
    List<ClientId> ids = ids(3);
    Map<ClientId, float[][]> data = data(ids, 3);
    data.get(ClientId.of("c1"))[0][7] = Float.NaN; // lands in parameter "b", element 1
    RunResult result = run(ids, id -> new ClientRuntime(new MeanEstimationClient(data.get(id)), List.of()), 1,
        Duration.ofMinutes(1));

    RoundOutcome.Completed c = (RoundOutcome.Completed) result.rounds().get(0);
    assertThat(c.contributors()).isEqualTo(2);
    assertThat(c.failures()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.REJECTED);
      assertThat(f.reason()).contains("non-finite").contains("b[1]");
    });
    assertThat(result.finalParameters().firstNonFinite()).isEqualTo(-1);
  }

  @Test
  void wrongShapeUpdate_isRejected() throws Exception {
    List<ClientId> ids = ids(3);
    Map<ClientId, float[][]> data = data(ids, 4);
    ParameterLayout other = ParameterLayout.builder().add("w", Shape.of(2, 3)).add("b", Shape.of(2)).build();
    RunResult result = run(ids, id -> new ClientRuntime(id.value().equals("c0")
        ? new WrongShapeClient(other) : new MeanEstimationClient(data.get(id)), List.of()), 1,
        Duration.ofMinutes(1));

    RoundOutcome.Completed c = (RoundOutcome.Completed) result.rounds().get(0);
    assertThat(c.failures()).singleElement().satisfies(f ->
        assertThat(f.reason()).contains("w[2, 3]").contains("w[3, 2]"));
  }

  @Test
  void tooFewSurvivors_abortsRoundAndLeavesModelUnchanged() throws Exception {
    List<ClientId> ids = ids(4);
    RunResult result = run(ids, id -> new ClientRuntime(new FailingClient(), List.of()), 2, Duration.ofMinutes(1));

    assertThat(result.rounds()).singleElement().isInstanceOfSatisfying(RoundOutcome.Aborted.class, a -> {
      assertThat(a.cause()).contains("0 of 4").contains("min_clients is 2");
      assertThat(a.failures()).hasSize(4);
    });
    assertThat(result.finalParameters().data()).containsOnly(0f);
  }

  @Test
  void slowClient_timesOutAndRoundGoesOn() throws Exception {
    List<ClientId> ids = ids(3);
    Map<ClientId, float[][]> data = data(ids, 5);
    RunResult result = run(ids, id -> new ClientRuntime(id.value().equals("c2")
        ? new SleepingClient() : new MeanEstimationClient(data.get(id)), List.of()), 1, Duration.ofMillis(500));

    RoundOutcome.Completed c = (RoundOutcome.Completed) result.rounds().get(0);
    assertThat(c.contributors()).isEqualTo(2);
    assertThat(c.failures()).singleElement().satisfies(f ->
        assertThat(f.kind()).isEqualTo(ClientFailure.Kind.TIMEOUT));
  }

  @Test
  void roundWithAQuorum_closesWithTheFirstResponders_andRecordsTheOthersAsLate() throws Exception {
    List<ClientId> ids = ids(4);
    Map<ClientId, float[][]> data = data(ids, 7);
    long t0 = System.nanoTime();
    RunResult result = run(ids, id -> new ClientRuntime(id.value().equals("c3")
        ? new SleepingClient() : new MeanEstimationClient(data.get(id)), List.of()), 2, Duration.ofMinutes(5), 3);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("well before the slow client's 10 s").isLessThan(Duration.ofSeconds(8));

    RoundOutcome.Completed c = (RoundOutcome.Completed) result.rounds().get(0);
    assertThat(c.contributors()).isEqualTo(3);
    assertThat(c.failures()).singleElement().satisfies(f -> {
      assertThat(f.client()).isEqualTo(ClientId.of("c3"));
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.LATE);
      assertThat(f.reason()).contains("enough replies");
    });
    // the model is the example-weighted mean of the three that made the quorum
    float[] expected = new float[LAYOUT.totalSize()];
    double examples = 0;
    for (ClientId id : ids.subList(0, 3)) {
      for (float[] row : data.get(id)) {
        for (int j = 0; j < row.length; j++) {
          expected[j] += row[j];
        }
        examples++;
      }
    }
    float[] got = result.finalParameters().data();
    for (int j = 0; j < expected.length; j++) {
      assertThat(got[j]).isCloseTo((float) (expected[j] / examples), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void quorumBelowMinClients_isRefusedBeforeTheRun() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Coordinator.builder()
            .transport(InProcessTransport.create(ids(2), id -> null, 1))
            .strategy(FedAvg.builder().minClients(3).build())
            .initialParameters(ParameterSet.zeros(LAYOUT)).quorum(2).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("below min_clients");
  }

  @Test
  void tooFewClientsConnected_skipsRoundWithReason() throws Exception {
    List<ClientId> ids = ids(2);
    RunResult result = run(ids, id -> new ClientRuntime(new FailingClient(), List.of()), 5, Duration.ofMinutes(1));
    assertThat(result.rounds()).singleElement().isInstanceOfSatisfying(RoundOutcome.Skipped.class,
        s -> assertThat(s.reason()).contains("only 2 clients available"));
  }

  @Test
  void gateThatRefusesARound_stopsTheRunBeforeItWithTheReason() throws Exception {
    List<ClientId> ids = ids(3);
    Map<ClientId, float[][]> data = data(ids, 7);
    List<Integer> charged = new ArrayList<>();
    dev.cohort.core.strategy.RoundGate gate = new dev.cohort.core.strategy.RoundGate() {
      @Override
      public java.util.Optional<String> refuse(int round) {
        return round == 3 ? java.util.Optional.of("budget spent") : java.util.Optional.empty();
      }

      @Override
      public MetricRecord completed(int round, MetricRecord measurements) {
        charged.add(round);
        return MetricRecord.of("privacy.epsilon", round);
      }
    };
    try (InProcessTransport t = InProcessTransport.create(ids,
        id -> new ClientRuntime(new MeanEstimationClient(data.get(id)), List.of()), 2)) {
      RunResult result = Coordinator.builder().transport(t).strategy(FedAvg.builder().build())
          .initialParameters(ParameterSet.zeros(LAYOUT)).rounds(5).gate(gate).build().run();
      assertThat(result.rounds()).hasSize(2);
      assertThat(result.stopReason()).isEqualTo(RunResult.StopReason.REFUSED);
      assertThat(result.stopDetail()).isEqualTo("stopped before round 3: budget spent");
      assertThat(charged).containsExactly(1, 2);
      assertThat(((RoundOutcome.Completed) result.rounds().get(1)).measurements().get("privacy.epsilon")).isEqualTo(2);
    }
  }

  @Test
  void modThatCallsProceedTwice_isNamedInTheFailure() throws Exception {
    List<ClientId> ids = ids(2);
    Map<ClientId, float[][]> data = data(ids, 6);
    List<ClientFailure> failures = new ArrayList<>();
    RunResult result = run(ids, id -> new ClientRuntime(new MeanEstimationClient(data.get(id)),
        List.of(new DoubleCallMod())), 1, Duration.ofMinutes(1));
    assertThat(result.rounds()).singleElement().isInstanceOfSatisfying(RoundOutcome.Aborted.class, a -> {
      failures.addAll(a.failures());
    });
    assertThat(failures).allSatisfy(f -> assertThat(f.reason()).contains("DoubleCallMod").contains("at most once"));
  }

  private static final class DoubleCallMod implements dev.cohort.core.client.Mod {
    @Override
    public dev.cohort.core.message.Message apply(dev.cohort.core.message.Message request, ClientContext context,
        Next next) {
      next.proceed(request);
      return next.proceed(request);
    }

    @Override
    public String toString() {
      return "DoubleCallMod";
    }
  }

  private static final class FailingClient implements ClientApp {
    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
      throw new IllegalStateException("disk on fire");
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
      throw new IllegalStateException("disk on fire");
    }
  }

  private static final class SleepingClient implements ClientApp {
    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new FitResult(ParameterSet.zeros(instruction.global().layout()), 1, MetricRecord.empty());
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
      return new EvaluateResult(0, 1, MetricRecord.empty());
    }
  }

  private record WrongShapeClient(ParameterLayout layout) implements ClientApp {
    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
      return new FitResult(ParameterSet.zeros(layout), 1, MetricRecord.empty());
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
      return new EvaluateResult(0, 1, MetricRecord.empty());
    }
  }
}
