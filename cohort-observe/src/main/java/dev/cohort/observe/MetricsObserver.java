package dev.cohort.observe;

import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunObserver;
import dev.cohort.server.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns run events into metrics in a {@link MetricsRegistry}:
 *
 * <ul>
 *   <li>{@code cohort_rounds_total{outcome="completed|skipped|aborted"}} counter;
 *   <li>{@code cohort_round_seconds} histogram of the rounds that ran (completed or aborted; a
 *       skipped round never started);
 *   <li>{@code cohort_round_participants} gauge: the contributors of the last round (0 when it
 *       was skipped or aborted), and {@code cohort_round_sampled}: the clients it asked to train;
 *   <li>{@code cohort_client_results_total{result="success|failure"}} counter, per client reply;
 *   <li>{@code cohort_client_failures_total{kind="timeout|disconnected|client_error|rejected"}}
 *       counter, from the failures of completed and aborted rounds;
 *   <li>{@code cohort_model_accuracy} and {@code cohort_model_loss} gauges: the last central
 *       evaluation (NaN until there is one; accuracy stays NaN for regression);
 *   <li>{@code cohort_privacy_epsilon} gauge: the last {@code privacy.epsilon} measurement (NaN
 *       until one is reported);
 *   <li>{@code cohort_secagg_dropped_total} counter: the sum of the {@code secagg.dropped}
 *       measurements (clients dropped between masking and unmasking);
 *   <li>{@code cohort_current_round} gauge: the round started or ended last;
 *   <li>{@code cohort_run_finished} gauge: 1 once the run ended, else 0.
 * </ul>
 *
 * <p>Registers these names in its constructor, so one registry holds at most one such observer.
 * Thread-safe (the coordinator calls it from its own thread; scrapes come from others).
 */
public final class MetricsObserver implements RunObserver {
  /** Upper bounds of the {@code cohort_round_seconds} buckets, from sub-second simulations to long rounds. */
  static final double[] ROUND_SECONDS_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};

  private final Counter rounds;
  private final Histogram roundSeconds;
  private final Gauge participants;
  private final Gauge sampled;
  private final Counter clientResults;
  private final Counter clientFailures;
  private final Gauge accuracy;
  private final Gauge loss;
  private final Gauge epsilon;
  private final Counter secaggDropped;
  private final Gauge currentRound;
  private final Gauge runFinished;

  /** Registers the run metrics in {@code registry}; fails if any of their names is taken. */
  public MetricsObserver(MetricsRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    rounds = registry.counter("cohort_rounds_total", "Rounds ended, by outcome.", "outcome");
    roundSeconds = registry.histogram("cohort_round_seconds",
        "Wall-clock seconds of the rounds that ran (completed or aborted).", ROUND_SECONDS_BUCKETS);
    participants = registry.gauge("cohort_round_participants",
        "Clients whose updates the last round aggregated (0 if it was skipped or aborted).");
    sampled = registry.gauge("cohort_round_sampled", "Clients the last round asked to train.");
    clientResults = registry.counter("cohort_client_results_total",
        "Client replies to training requests, by result.", "result");
    clientFailures = registry.counter("cohort_client_failures_total",
        "Clients that produced no usable update in a round, by kind of failure.", "kind");
    accuracy = registry.gauge("cohort_model_accuracy", "Accuracy of the global model in the last central evaluation.");
    loss = registry.gauge("cohort_model_loss", "Loss of the global model in the last central evaluation.");
    epsilon = registry.gauge("cohort_privacy_epsilon", "Privacy budget spent so far (epsilon), as last reported.");
    secaggDropped = registry.counter("cohort_secagg_dropped_total",
        "Clients dropped between masking and unmasking in secure aggregation.");
    currentRound = registry.gauge("cohort_current_round", "The round started or ended last (0 before the first).");
    runFinished = registry.gauge("cohort_run_finished", "1 once the run has ended, else 0.");
    for (String outcome : List.of("completed", "skipped", "aborted")) {
      rounds.labels(outcome);
    }
    clientResults.labels("success");
    clientResults.labels("failure");
    for (ClientFailure.Kind kind : ClientFailure.Kind.values()) {
      clientFailures.labels(kindLabel(kind));
    }
    accuracy.set(Double.NaN);
    loss.set(Double.NaN);
    epsilon.set(Double.NaN);
  }

  /** The label value of a failure kind: its name in lower case ({@code client_error}). */
  static String kindLabel(ClientFailure.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void roundStarted(int round, int clients) {
    currentRound.set(round);
    sampled.set(clients);
  }

  @Override
  public void clientFinished(int round, dev.cohort.core.ClientId client, boolean success) {
    clientResults.labels(success ? "success" : "failure").inc();
  }

  @Override
  public void roundEnded(RoundOutcome outcome) {
    currentRound.set(outcome.round());
    switch (outcome) {
      case RoundOutcome.Completed c -> {
        rounds.labels("completed").inc();
        roundSeconds.observe(c.seconds());
        participants.set(c.contributors());
        sampled.set(c.sampled());
        countFailures(c.failures());
        c.evaluation().ifPresent(this::recordEvaluation);
        Double eps = c.measurements().values().get("privacy.epsilon");
        if (eps != null) {
          epsilon.set(eps);
        }
        Double dropped = c.measurements().values().get("secagg.dropped");
        if (dropped != null && dropped > 0) {
          secaggDropped.inc(dropped);
        }
      }
      case RoundOutcome.Skipped s -> {
        rounds.labels("skipped").inc();
        participants.set(0);
        sampled.set(0);
      }
      case RoundOutcome.Aborted a -> {
        rounds.labels("aborted").inc();
        roundSeconds.observe(a.seconds());
        participants.set(0);
        countFailures(a.failures());
      }
    }
  }

  private void recordEvaluation(ModelEvaluation e) {
    accuracy.set(e.accuracy());
    loss.set(e.loss());
  }

  private void countFailures(List<ClientFailure> failures) {
    for (ClientFailure f : failures) {
      clientFailures.labels(kindLabel(f.kind())).inc();
    }
  }

  @Override
  public void runEnded(RunResult result) {
    runFinished.set(1);
  }
}
