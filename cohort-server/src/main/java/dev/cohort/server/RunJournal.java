package dev.cohort.server;

/**
 * Makes a run durable: told about every round as it ends, with the state the next round starts
 * from, before any {@link RunObserver} hears of it and before the next round begins. A journal
 * that returns has made the round durable (a run store commits the round, its participants and
 * this state in one transaction); one that throws stops the run with its exception, so a round
 * is never reported or followed by another without having been recorded.
 *
 * <p>On a restart the caller reads the last recorded {@link RunState} back and passes it to
 * {@link Coordinator.Builder#resumeFrom}. Called from the coordinator's thread only.
 */
@FunctionalInterface
public interface RunJournal {
  /** A journal that records nothing. */
  RunJournal NONE = (outcome, after) -> {};

  /**
   * Round {@code outcome.round()} ended; {@code after} is the state the next round starts from
   * (unchanged from the previous round's for skipped and aborted rounds).
   */
  void roundEnded(RoundOutcome outcome, RunState after);
}
