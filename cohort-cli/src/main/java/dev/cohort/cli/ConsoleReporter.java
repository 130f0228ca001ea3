package dev.cohort.cli;

import dev.cohort.core.ClientId;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunObserver;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints one line per round and, on an interactive terminal, a progress bar of the clients that
 * have answered in the current round. Writes to the given stream (stderr in the CLI, so that
 * stdout carries only results).
 */
final class ConsoleReporter implements RunObserver {
  private static final int BAR = 24;

  private final PrintStream out;
  private final int totalRounds;
  private final boolean interactive;
  private int roundClients;
  private int answered;
  private int round;
  private long roundStart;

  ConsoleReporter(PrintStream out, int totalRounds, boolean interactive) {
    this.out = out;
    this.totalRounds = totalRounds;
    this.interactive = interactive;
  }

  @Override
  public void roundStarted(int round, int clients) {
    this.round = round;
    this.roundClients = clients;
    this.answered = 0;
    this.roundStart = System.nanoTime();
    drawBar();
  }

  @Override
  public void clientFinished(int round, ClientId client, boolean success) {
    answered++;
    drawBar();
  }

  private void drawBar() {
    if (!interactive || roundClients == 0) {
      return;
    }
    int filled = answered * BAR / roundClients;
    double secs = (System.nanoTime() - roundStart) / 1e9;
    out.printf(Locale.ROOT, "\rround %d/%d [%s%s] %d/%d clients %.1f s", round, totalRounds,
        "#".repeat(filled), ".".repeat(BAR - filled), answered, roundClients, secs);
    out.flush();
  }

  @Override
  public void roundEnded(RoundOutcome outcome) {
    if (interactive) {
      out.print("\r" + " ".repeat(70) + "\r");
    }
    out.println(line(outcome, totalRounds));
    out.flush();
  }

  static String line(RoundOutcome outcome, int totalRounds) {
    String head = String.format(Locale.ROOT, "round %d/%d", outcome.round(), totalRounds);
    return switch (outcome) {
      case RoundOutcome.Completed c -> {
        String eval = c.evaluation().map(ConsoleReporter::evaluation).orElse("")
            + c.federatedEvaluation().map(e -> String.format(Locale.ROOT, "clients' accuracy %.2f%% ",
                100 * e.accuracy())).orElse("");
        yield String.format(Locale.ROOT, "%s  %s train-loss %.4f  clients %d/%d%s  %.2f s", head, eval,
            c.trainLoss(), c.contributors(), c.sampled(),
            c.failures().isEmpty() ? "" : " (" + c.failures().size() + " failed: " + c.failures().get(0) + ")",
            c.seconds());
      }
      case RoundOutcome.Skipped s -> head + "  skipped: " + s.reason();
      case RoundOutcome.Aborted a -> head + "  aborted: " + a.cause()
          + (a.failures().isEmpty() ? "" : " (first failure: " + a.failures().get(0) + ")");
    };
  }

  private static String evaluation(ModelEvaluation e) {
    return Double.isNaN(e.accuracy())
        ? String.format(Locale.ROOT, "loss %.4f ", e.loss())
        : String.format(Locale.ROOT, "accuracy %.2f%%  loss %.4f ", 100 * e.accuracy(), e.loss());
  }
}
