package dev.cohort.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunResult;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Run events logged as structured records, formatted as JSON lines and parsed back. */
class LoggingObserverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<LogRecord> records = new ArrayList<>();
  private final LoggingObserver observer;

  LoggingObserverTest() {
    Logger logger = Logger.getAnonymousLogger();
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    logger.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    observer = new LoggingObserver(logger);
  }

  private JsonNode line(int i) throws Exception {
    return JSON.readTree(new JsonLogFormatter().format(records.get(i)));
  }

  @Test
  void completedRound_isRoundEndedEventWithEvaluationAndFailures() throws Exception {
    observer.roundEnded(new RoundOutcome.Completed(4, 3, 2,
        List.of(new ClientFailure(ClientId.of("carol"), ClientFailure.Kind.TIMEOUT, "no reply in 30 s")), 0.42,
        Optional.of(new ModelEvaluation(0.31, 0.9125, 1000)), Optional.empty(),
        MetricRecord.of("privacy.epsilon", 1.5), 2.25));

    JsonNode n = line(0);
    assertThat(records.getFirst().getLevel()).isEqualTo(Level.INFO);
    assertThat(n.get("event").asText()).isEqualTo("round_ended");
    assertThat(n.get("round").asInt()).isEqualTo(4);
    assertThat(n.get("outcome").asText()).isEqualTo("completed");
    assertThat(n.get("sampled").asInt()).isEqualTo(3);
    assertThat(n.get("contributors").asInt()).isEqualTo(2);
    assertThat(n.get("accuracy").asDouble()).isEqualTo(0.9125);
    assertThat(n.get("loss").asDouble()).isEqualTo(0.31);
    assertThat(n.get("train_loss").asDouble()).isEqualTo(0.42);
    assertThat(n.get("epsilon").asDouble()).isEqualTo(1.5);
    assertThat(n.get("seconds").asDouble()).isEqualTo(2.25);
    assertThat(n.has("reason")).isFalse();
    JsonNode failure = n.get("failures").get(0);
    assertThat(failure.get("client").asText()).isEqualTo("carol");
    assertThat(failure.get("kind").asText()).isEqualTo("timeout");
    assertThat(failure.get("reason").asText()).isEqualTo("no reply in 30 s");
    assertThat(n.get("msg").asText())
        .isEqualTo("round 4 completed: 2 of 3 clients contributed, accuracy 0.9125, loss 0.3100, epsilon 1.5000 (2.250 s)");
  }

  @Test
  void skippedRound_carriesTheReason() throws Exception {
    observer.roundEnded(new RoundOutcome.Skipped(2, "only 1 clients available; min_clients is 2", 0.0005));

    JsonNode n = line(0);
    assertThat(n.get("outcome").asText()).isEqualTo("skipped");
    assertThat(n.get("contributors").asInt()).isZero();
    assertThat(n.get("reason").asText()).isEqualTo("only 1 clients available; min_clients is 2");
    assertThat(n.has("accuracy")).isFalse();
  }

  @Test
  void abortedRound_isAWarningWithCauseAndFailures() throws Exception {
    observer.roundEnded(new RoundOutcome.Aborted(5, "2 results; min_fit_clients is 3",
        List.of(new ClientFailure(ClientId.of("bob"), ClientFailure.Kind.DISCONNECTED, "stream closed")), 30));

    JsonNode n = line(0);
    assertThat(records.getFirst().getLevel()).isEqualTo(Level.WARNING);
    assertThat(n.get("level").asText()).isEqualTo("WARN");
    assertThat(n.get("outcome").asText()).isEqualTo("aborted");
    assertThat(n.get("reason").asText()).isEqualTo("2 results; min_fit_clients is 3");
    assertThat(n.get("failures").get(0).get("kind").asText()).isEqualTo("disconnected");
  }

  @Test
  void runEnded_isRunEndedEvent() throws Exception {
    ParameterSet model = ParameterSet.zeros(ParameterLayout.builder().add("w", Shape.of(1)).build());
    observer.runEnded(new RunResult(List.of(new RoundOutcome.Skipped(1, "none", 0)), model,
        RunResult.StopReason.ROUNDS_DONE, "ran all 1 rounds", 3.5));

    JsonNode n = line(0);
    assertThat(n.get("event").asText()).isEqualTo("run_ended");
    assertThat(n.get("stop_reason").asText()).isEqualTo("rounds_done");
    assertThat(n.get("rounds").asInt()).isEqualTo(1);
    assertThat(n.get("completed_rounds").asInt()).isZero();
    assertThat(n.get("seconds").asDouble()).isEqualTo(3.5);
  }

  @Test
  void roundStartedAndClientFinished_areFineEvents() throws Exception {
    observer.roundStarted(1, 3);
    observer.clientFinished(1, ClientId.of("alice"), true);

    assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.FINE, Level.FINE);
    assertThat(line(0).get("event").asText()).isEqualTo("round_started");
    assertThat(line(0).get("sampled").asInt()).isEqualTo(3);
    assertThat(line(1).get("client").asText()).isEqualTo("alice");
    assertThat(line(1).get("success").asBoolean()).isTrue();
  }
}
