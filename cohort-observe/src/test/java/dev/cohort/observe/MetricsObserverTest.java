package dev.cohort.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunResult;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The run metrics as a scrape sees them after a sequence of coordinator events. */
class MetricsObserverTest {
  private final MetricsRegistry registry = new MetricsRegistry();
  private final MetricsObserver observer = new MetricsObserver(registry);

  private Map<String, Double> scrape() {
    return Exposition.samples(registry.scrape());
  }

  private static RoundOutcome.Completed completed(int round, int sampled, int contributors,
      List<ClientFailure> failures, Optional<ModelEvaluation> evaluation, MetricRecord measurements, double seconds) {
    return new RoundOutcome.Completed(round, sampled, contributors, failures, 0.5, evaluation, Optional.empty(),
        measurements, seconds);
  }

  private static ClientFailure failure(String client, ClientFailure.Kind kind) {
    return new ClientFailure(ClientId.of(client), kind, "test");
  }

  /* --- before any event --- */

  @Test
  void newObserver_exportsEveryMetricWithZeroOrNaN() {
    Map<String, Double> s = scrape();

    assertThat(s).containsEntry("cohort_rounds_total{outcome=\"completed\"}", 0.0)
        .containsEntry("cohort_rounds_total{outcome=\"skipped\"}", 0.0)
        .containsEntry("cohort_rounds_total{outcome=\"aborted\"}", 0.0)
        .containsEntry("cohort_round_seconds_count", 0.0)
        .containsEntry("cohort_round_participants", 0.0)
        .containsEntry("cohort_round_sampled", 0.0)
        .containsEntry("cohort_client_results_total{result=\"success\"}", 0.0)
        .containsEntry("cohort_client_results_total{result=\"failure\"}", 0.0)
        .containsEntry("cohort_client_failures_total{kind=\"timeout\"}", 0.0)
        .containsEntry("cohort_client_failures_total{kind=\"disconnected\"}", 0.0)
        .containsEntry("cohort_client_failures_total{kind=\"client_error\"}", 0.0)
        .containsEntry("cohort_client_failures_total{kind=\"rejected\"}", 0.0)
        .containsEntry("cohort_secagg_dropped_total", 0.0)
        .containsEntry("cohort_current_round", 0.0)
        .containsEntry("cohort_run_finished", 0.0);
    assertThat(s.get("cohort_model_accuracy")).isNaN();
    assertThat(s.get("cohort_model_loss")).isNaN();
    assertThat(s.get("cohort_privacy_epsilon")).isNaN();
  }

  @Test
  void secondObserverOnSameRegistry_fails() {
    assertThatThrownBy(() -> new MetricsObserver(registry)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric cohort_rounds_total is already registered");
  }

  /* --- rounds --- */

  @Test
  void roundStarted_setsCurrentRoundAndSampled() {
    observer.roundStarted(3, 7);

    assertThat(scrape()).containsEntry("cohort_current_round", 3.0).containsEntry("cohort_round_sampled", 7.0);
  }

  @Test
  void completedRound_recordsParticipantsEvaluationAndSeconds() {
    observer.roundStarted(1, 4);
    observer.roundEnded(completed(1, 4, 3, List.of(failure("d", ClientFailure.Kind.TIMEOUT)),
        Optional.of(new ModelEvaluation(0.25, 0.9, 100)), MetricRecord.empty(), 0.7));

    Map<String, Double> s = scrape();
    assertThat(s).containsEntry("cohort_rounds_total{outcome=\"completed\"}", 1.0)
        .containsEntry("cohort_round_participants", 3.0)
        .containsEntry("cohort_round_sampled", 4.0)
        .containsEntry("cohort_client_failures_total{kind=\"timeout\"}", 1.0)
        .containsEntry("cohort_model_accuracy", 0.9)
        .containsEntry("cohort_model_loss", 0.25)
        .containsEntry("cohort_round_seconds_bucket{le=\"0.5\"}", 0.0)
        .containsEntry("cohort_round_seconds_bucket{le=\"1\"}", 1.0)
        .containsEntry("cohort_round_seconds_sum", 0.7)
        .containsEntry("cohort_round_seconds_count", 1.0)
        .containsEntry("cohort_current_round", 1.0);
  }

  @Test
  void completedRoundWithoutEvaluation_keepsTheLastOne() {
    observer.roundEnded(completed(1, 2, 2, List.of(), Optional.of(new ModelEvaluation(0.4, 0.8, 10)),
        MetricRecord.empty(), 1));
    observer.roundEnded(completed(2, 2, 2, List.of(), Optional.empty(), MetricRecord.empty(), 1));

    assertThat(scrape()).containsEntry("cohort_model_accuracy", 0.8).containsEntry("cohort_current_round", 2.0);
  }

  @Test
  void skippedRound_countsSkippedWithoutObservingSeconds() {
    observer.roundEnded(completed(1, 3, 3, List.of(), Optional.empty(), MetricRecord.empty(), 2));
    observer.roundEnded(new RoundOutcome.Skipped(2, "only 1 clients available; min_clients is 2", 0.001));

    Map<String, Double> s = scrape();
    assertThat(s).containsEntry("cohort_rounds_total{outcome=\"skipped\"}", 1.0)
        .containsEntry("cohort_round_participants", 0.0)
        .containsEntry("cohort_round_seconds_count", 1.0)
        .containsEntry("cohort_current_round", 2.0);
  }

  @Test
  void abortedRound_countsFailuresByKindAndObservesSeconds() {
    observer.roundStarted(1, 3);
    observer.roundEnded(new RoundOutcome.Aborted(1, "too few results", List.of(
        failure("a", ClientFailure.Kind.DISCONNECTED), failure("b", ClientFailure.Kind.CLIENT_ERROR),
        failure("c", ClientFailure.Kind.REJECTED), failure("d", ClientFailure.Kind.REJECTED)), 45));

    Map<String, Double> s = scrape();
    assertThat(s).containsEntry("cohort_rounds_total{outcome=\"aborted\"}", 1.0)
        .containsEntry("cohort_client_failures_total{kind=\"disconnected\"}", 1.0)
        .containsEntry("cohort_client_failures_total{kind=\"client_error\"}", 1.0)
        .containsEntry("cohort_client_failures_total{kind=\"rejected\"}", 2.0)
        .containsEntry("cohort_round_participants", 0.0)
        .containsEntry("cohort_round_sampled", 3.0)
        .containsEntry("cohort_round_seconds_bucket{le=\"30\"}", 0.0)
        .containsEntry("cohort_round_seconds_bucket{le=\"60\"}", 1.0);
  }

  @Test
  void clientFinished_countsSuccessesAndFailures() {
    observer.clientFinished(1, ClientId.of("a"), true);
    observer.clientFinished(1, ClientId.of("b"), true);
    observer.clientFinished(1, ClientId.of("c"), false);

    assertThat(scrape()).containsEntry("cohort_client_results_total{result=\"success\"}", 2.0)
        .containsEntry("cohort_client_results_total{result=\"failure\"}", 1.0);
  }

  /* --- measurements --- */

  @Test
  void measurements_epsilonIsTheLastReported_droppedIsSummed() {
    observer.roundEnded(completed(1, 5, 4, List.of(), Optional.empty(),
        MetricRecord.of("privacy.epsilon", 0.5, "secagg.dropped", 1), 1));
    observer.roundEnded(completed(2, 5, 3, List.of(), Optional.empty(),
        MetricRecord.of("privacy.epsilon", 0.75, "secagg.dropped", 2), 1));
    observer.roundEnded(completed(3, 5, 5, List.of(), Optional.empty(), MetricRecord.empty(), 1));

    assertThat(scrape()).containsEntry("cohort_privacy_epsilon", 0.75).containsEntry("cohort_secagg_dropped_total", 3.0);
  }

  /* --- run --- */

  @Test
  void runEnded_setsFinished() {
    ParameterSet model = ParameterSet.zeros(ParameterLayout.builder().add("w", Shape.of(2)).build());
    observer.runEnded(new RunResult(List.of(), model, RunResult.StopReason.ROUNDS_DONE, "ran all 0 rounds", 0));

    assertThat(scrape()).containsEntry("cohort_run_finished", 1.0);
  }
}
