package dev.cohort.core.strategy;

/**
 * What a strategy knows when it configures a round.
 *
 * @param round the round number (1-based)
 * @param totalRounds the number of rounds the run plans
 * @param seed the seed of this round's sampling, derived from the run seed
 */
public record RoundContext(int round, int totalRounds, long seed) {
  public RoundContext {
    if (round < 1) {
      throw new IllegalArgumentException("round must be >= 1 but was " + round);
    }
  }
}
