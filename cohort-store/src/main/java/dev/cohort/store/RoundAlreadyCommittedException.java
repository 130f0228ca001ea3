package dev.cohort.store;

/**
 * A round was committed that the store already holds, as happens when a process resumed from an
 * older state or two servers share a run. The store is unchanged: no round is applied twice.
 */
public final class RoundAlreadyCommittedException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long runId;
  private final int round;
  private final int lastCommitted;

  public RoundAlreadyCommittedException(long runId, int round, int lastCommitted) {
    super("run " + runId + " already has round " + round + " (last committed round: " + lastCommitted
        + "); resume from the store instead of committing it again");
    this.runId = runId;
    this.round = round;
    this.lastCommitted = lastCommitted;
  }

  public long runId() {
    return runId;
  }

  /** The round that was refused. */
  public int round() {
    return round;
  }

  /** The last round the store holds for the run. */
  public int lastCommitted() {
    return lastCommitted;
  }
}
