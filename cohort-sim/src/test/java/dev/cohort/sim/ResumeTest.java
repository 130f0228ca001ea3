package dev.cohort.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.strategy.FedAvg;
import dev.cohort.data.Dataset;
import dev.cohort.data.partition.Partitioner;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunJournal;
import dev.cohort.server.RunResult;
import dev.cohort.server.RunState;
import dev.cohort.tensor.Shape;
import dev.cohort.train.ModelSpec;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Resuming a run from the state its journal recorded: a run interrupted after round 3 and resumed
 * from that state ends with the same global model, bit for bit, as the run that was never
 * interrupted. In-process only; the crash of a real process is the CLI's crash test.
 */
class ResumeTest {
  private static final int ROUNDS = 6;

  /** Three Gaussian blobs in 4 dimensions. */
  private static Dataset blobs(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * 4];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int f = 0; f < 4; f++) {
        x[i * 4 + f] = (float) ((f == y[i] ? 2.0 : 0.0) + rng.nextGaussian());
      }
    }
    return Dataset.classification("blobs", Shape.of(4), x, y, 3);
  }

  private static final Dataset TRAIN = blobs(300, 1);
  private static final Dataset TEST = blobs(90, 2);

  private static Simulation.Builder simulation() {
    return Simulation.builder().trainData(TRAIN).testData(TEST).partitioner(Partitioner.dirichlet(0.5))
        .clients(6).model(ModelSpec.mlp(List.of(8), "relu"))
        .training(TrainConfig.of(1, 16, OptimizerSpec.sgd(0.1, 0.9, 0.0, false)))
        .strategy(FedAvg.builder().fraction(0.5).minClients(2).build())
        .rounds(ROUNDS).parallelism(2).seed(11);
  }

  /** Keeps every state it is given, and throws (a crash) when round {@code crashAt} ends. */
  private static final class Recorder implements RunJournal {
    final List<RunState> states = new ArrayList<>();
    final List<Integer> rounds = new ArrayList<>();
    final int crashAt;

    Recorder(int crashAt) {
      this.crashAt = crashAt;
    }

    @Override
    public void roundEnded(RoundOutcome outcome, RunState after) {
      if (outcome.round() == crashAt) {
        throw new IllegalStateException("crash in round " + crashAt);
      }
      assertThat(after.lastRound()).isEqualTo(outcome.round());
      rounds.add(outcome.round());
      states.add(after);
    }
  }

  @Test
  void resumedAfterRound3_endsWithTheUninterruptedRunsModelBitForBit() throws Exception {
    Recorder straight = new Recorder(-1);
    RunResult uninterrupted = simulation().journal(straight).build().run();
    assertThat(straight.rounds).containsExactly(1, 2, 3, 4, 5, 6);

    Recorder crashed = new Recorder(4);
    assertThatThrownBy(() -> simulation().journal(crashed).build().run()).hasMessageContaining("crash in round 4");
    RunState afterRound3 = crashed.states.getLast();
    assertThat(afterRound3.lastRound()).isEqualTo(3);
    assertThat(afterRound3.global().data()).isEqualTo(straight.states.get(2).global().data());

    Recorder resumedJournal = new Recorder(-1);
    RunResult resumed = simulation().journal(resumedJournal).resumeFrom(afterRound3).build().run();

    assertThat(resumedJournal.rounds).containsExactly(4, 5, 6);
    assertThat(resumed.rounds()).extracting(RoundOutcome::round).containsExactly(4, 5, 6);
    assertThat(resumed.finalParameters().data()).isEqualTo(uninterrupted.finalParameters().data());
    assertThat(resumed.lastCompleted().orElseThrow().evaluation())
        .isEqualTo(uninterrupted.lastCompleted().orElseThrow().evaluation());
  }

  @Test
  void resumedAfterTheLastRound_runsNothingAndKeepsTheModel() throws Exception {
    Recorder straight = new Recorder(-1);
    simulation().journal(straight).build().run();
    RunState end = straight.states.getLast();

    RunResult resumed = simulation().resumeFrom(end).build().run();

    assertThat(resumed.rounds()).isEmpty();
    assertThat(resumed.finalParameters().data()).isEqualTo(end.global().data());
  }

  /** A gate that counts completed rounds and refuses round {@code limit + 1}. */
  private static final class CountingGate implements dev.cohort.core.strategy.RoundGate {
    record Count(int rounds) implements State {}

    final int limit;
    int completed;
    final List<Integer> restored = new ArrayList<>();

    CountingGate(int limit) {
      this.limit = limit;
    }

    @Override
    public java.util.Optional<String> refuse(int round) {
      return completed >= limit ? java.util.Optional.of(completed + " rounds spent") : java.util.Optional.empty();
    }

    @Override
    public dev.cohort.core.MetricRecord completed(int round, dev.cohort.core.MetricRecord measurements) {
      completed++;
      return dev.cohort.core.MetricRecord.empty();
    }

    @Override
    public State state() {
      return new Count(completed);
    }

    @Override
    public void restore(State state) {
      completed = ((Count) state).rounds();
      restored.add(completed);
    }
  }

  @Test
  void resumedRun_restoresTheGatesStateBeforeItsFirstRound() throws Exception {
    Recorder crashed = new Recorder(3);
    CountingGate first = new CountingGate(4);
    assertThatThrownBy(() -> simulation().gate(first).journal(crashed).build().run());
    RunState afterRound2 = crashed.states.getLast();
    assertThat(afterRound2.gate()).isEqualTo(new CountingGate.Count(2));

    CountingGate second = new CountingGate(4);
    RunResult resumed = simulation().gate(second).resumeFrom(afterRound2).build().run();

    assertThat(second.restored).containsExactly(2);
    assertThat(resumed.rounds()).extracting(RoundOutcome::round).containsExactly(3, 4);
    assertThat(resumed.stopReason()).isEqualTo(RunResult.StopReason.REFUSED);
    assertThat(resumed.stopDetail()).isEqualTo("stopped before round 5: 4 rounds spent");
  }
}
