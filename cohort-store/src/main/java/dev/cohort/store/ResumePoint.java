package dev.cohort.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a run continues after a restart: the next round is {@code lastRound + 1}, starting from
 * {@code checkpoint}, with the privacy accountant restored from it.
 *
 * @param run the run, with its status (a finished run has nothing to resume, which the caller checks)
 * @param lastRound the last committed round, 0 if none
 * @param checkpointRound the round {@code checkpoint} was taken after, 0 if there is none; it equals
 *     {@code lastRound} unless the last rounds were skipped or aborted without a checkpoint
 * @param checkpoint the latest checkpoint, empty before the first completed round
 * @param privacySpent the privacy spent as of the last round that recorded it
 */
public record ResumePoint(Run run, int lastRound, int checkpointRound, Optional<Checkpoint> checkpoint,
    Optional<PrivacySpent> privacySpent) {
  public ResumePoint {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(privacySpent, "privacySpent");
    if (checkpoint.isPresent() != (checkpointRound > 0) || checkpointRound > lastRound) {
      throw new IllegalArgumentException("checkpointRound " + checkpointRound + " inconsistent with lastRound "
          + lastRound + " and checkpoint present=" + checkpoint.isPresent());
    }
  }

  /** The round to run next. */
  public int nextRound() {
    return lastRound + 1;
  }
}
