package dev.cohort.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A run with its rounds in order, as {@code cohort runs show} prints it.
 *
 * @param run the run
 * @param rounds its committed rounds, by number
 */
public record RunHistory(Run run, List<RoundRecord> rounds) {
  public RunHistory {
    Objects.requireNonNull(run, "run");
    rounds = List.copyOf(rounds);
  }

  /** The privacy spent as of the last round that recorded it. */
  public Optional<PrivacySpent> privacySpent() {
    for (int i = rounds.size() - 1; i >= 0; i--) {
      if (rounds.get(i).privacySpent().isPresent()) {
        return rounds.get(i).privacySpent();
      }
    }
    return Optional.empty();
  }
}
