package dev.cohort.server;

import dev.cohort.core.ClientId;

/**
 * Receives the events of a run as they happen (for logs, progress bars, dashboards, stores).
 * Called from the coordinator's thread; implementations should return quickly. All methods
 * default to doing nothing.
 */
public interface RunObserver {
  /** Round {@code round} asks {@code clients} clients to train. */
  default void roundStarted(int round, int clients) {}

  /** One client of the round has answered (successfully or not). */
  default void clientFinished(int round, ClientId client, boolean success) {}

  /** The round ended. */
  default void roundEnded(RoundOutcome outcome) {}

  /** The run ended. */
  default void runEnded(RunResult result) {}

  /** An observer that forwards every event to each of {@code observers} in order. */
  static RunObserver all(RunObserver... observers) {
    return new RunObserver() {
      @Override
      public void roundStarted(int round, int clients) {
        for (RunObserver o : observers) {
          o.roundStarted(round, clients);
        }
      }

      @Override
      public void clientFinished(int round, ClientId client, boolean success) {
        for (RunObserver o : observers) {
          o.clientFinished(round, client, success);
        }
      }

      @Override
      public void roundEnded(RoundOutcome outcome) {
        for (RunObserver o : observers) {
          o.roundEnded(outcome);
        }
      }

      @Override
      public void runEnded(RunResult result) {
        for (RunObserver o : observers) {
          o.runEnded(result);
        }
      }
    };
  }
}
