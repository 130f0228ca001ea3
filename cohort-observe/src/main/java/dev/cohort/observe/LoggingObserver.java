package dev.cohort.observe;

import dev.cohort.core.ClientId;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunObserver;
import dev.cohort.server.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logs run events as {@link LogEvent}s, one record each, with a message that reads well without
 * the fields:
 *
 * <ul>
 *   <li>{@code round_ended} (INFO; WARNING when aborted): {@code round}, {@code outcome}
 *       ({@code completed|skipped|aborted}), {@code sampled}, {@code contributors},
 *       {@code failures} (a list of {@code {client, kind, reason}}), {@code train_loss},
 *       {@code accuracy} and {@code loss} (central evaluation, when there was one),
 *       {@code epsilon} (when {@code privacy.epsilon} was measured), {@code seconds}, and
 *       {@code reason} (why a round was skipped or aborted);
 *   <li>{@code run_ended} (INFO): {@code stop_reason}, {@code detail}, {@code rounds},
 *       {@code completed_rounds}, {@code seconds};
 *   <li>{@code round_started} (FINE): {@code round}, {@code sampled};
 *   <li>{@code client_finished} (FINE): {@code round}, {@code client}, {@code success}.
 * </ul>
 *
 * <p>Thread-safe. Logs to {@code dev.cohort.run} unless given another logger.
 */
public final class LoggingObserver implements RunObserver {
  /** The logger used by {@link #LoggingObserver()}. */
  public static final String LOGGER_NAME = "dev.cohort.run";

  private final Logger logger;

  /** Logs to the {@value #LOGGER_NAME} logger. */
  public LoggingObserver() {
    this(Logger.getLogger(LOGGER_NAME));
  }

  /** Logs to {@code logger}. */
  public LoggingObserver(Logger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public void roundStarted(int round, int clients) {
    log(Level.FINE, "round " + round + " started with " + clients + " clients",
        LogEvent.named("round_started").with("round", round).with("sampled", clients));
  }

  @Override
  public void clientFinished(int round, ClientId client, boolean success) {
    log(Level.FINE, "round " + round + ": client " + client + (success ? " answered" : " failed"),
        LogEvent.named("client_finished").with("round", round).with("client", client.value()).with("success", success));
  }

  @Override
  public void roundEnded(RoundOutcome outcome) {
    LogEvent e = LogEvent.named("round_ended").with("round", outcome.round());
    StringBuilder msg = new StringBuilder("round ").append(outcome.round()).append(' ');
    Level level = Level.INFO;
    switch (outcome) {
      case RoundOutcome.Completed c -> {
        e = e.with("outcome", "completed").with("sampled", c.sampled()).with("contributors", c.contributors())
            .with("failures", failures(c.failures())).with("train_loss", c.trainLoss());
        msg.append("completed: ").append(c.contributors()).append(" of ").append(c.sampled())
            .append(" clients contributed");
        if (c.evaluation().isPresent()) {
          e = e.with("accuracy", c.evaluation().get().accuracy()).with("loss", c.evaluation().get().loss());
          msg.append(String.format(Locale.ROOT, ", accuracy %.4f, loss %.4f", c.evaluation().get().accuracy(),
              c.evaluation().get().loss()));
        }
        Double epsilon = c.measurements().values().get("privacy.epsilon");
        if (epsilon != null) {
          e = e.with("epsilon", epsilon);
          msg.append(String.format(Locale.ROOT, ", epsilon %.4f", epsilon));
        }
      }
      case RoundOutcome.Skipped s -> {
        e = e.with("outcome", "skipped").with("contributors", 0).with("failures", List.of())
            .with("reason", s.reason());
        msg.append("skipped: ").append(s.reason());
      }
      case RoundOutcome.Aborted a -> {
        level = Level.WARNING;
        e = e.with("outcome", "aborted").with("contributors", 0).with("failures", failures(a.failures()))
            .with("reason", a.cause());
        msg.append("aborted: ").append(a.cause());
      }
    }
    e = e.with("seconds", outcome.seconds());
    msg.append(String.format(Locale.ROOT, " (%.3f s)", outcome.seconds()));
    log(level, msg.toString(), e);
  }

  @Override
  public void runEnded(RunResult result) {
    long completed = result.rounds().stream().filter(r -> r instanceof RoundOutcome.Completed).count();
    log(Level.INFO, "run ended: " + result.stopDetail(), LogEvent.named("run_ended")
        .with("stop_reason", result.stopReason().name().toLowerCase(Locale.ROOT))
        .with("detail", result.stopDetail()).with("rounds", result.rounds().size())
        .with("completed_rounds", completed).with("seconds", result.seconds()));
  }

  private static List<Map<String, String>> failures(List<ClientFailure> failures) {
    List<Map<String, String>> out = new ArrayList<>(failures.size());
    for (ClientFailure f : failures) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("client", f.client().value());
      m.put("kind", MetricsObserver.kindLabel(f.kind()));
      m.put("reason", f.reason());
      out.add(m);
    }
    return out;
  }

  private void log(Level level, String msg, LogEvent event) {
    if (!logger.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName(logger.getName());
    r.setParameters(new Object[] {event});
    logger.log(r);
  }
}
