package dev.cohort.store;

/** Where a run stands. A run is created {@link #RUNNING} and finishes exactly once. */
public enum RunStatus {
  /** Rounds may still be committed. */
  RUNNING,
  /** Every configured round ran. */
  COMPLETED,
  /** The run stopped on an error. */
  FAILED,
  /** The run was stopped on purpose before its last round (an operator, an exhausted privacy budget). */
  STOPPED;

  /** Whether this status ends the run: no more rounds can be committed. */
  public boolean isFinished() {
    return this != RUNNING;
  }
}
