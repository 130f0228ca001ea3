package dev.cohort.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One round of a run as stored: how it ended, its metrics, who took part, and the privacy spent
 * after it. Build one with {@link #completed(int)}, {@link #skipped(int, String)} or
 * {@link #aborted(int, String)}.
 *
 * @param number the round number, 1-based
 * @param outcome how the round ended
 * @param reason why a skipped or aborted round did not complete; empty exactly for completed rounds
 * @param accuracy the global model's accuracy after the round, if evaluated
 * @param loss the global model's loss after the round (or the clients' training loss), if measured
 * @param seconds wall-clock seconds the round took
 * @param participants the clients asked to take part, each with what it did; names are unique
 * @param privacySpent the run's cumulative privacy spent after this round, if it is accounted
 * @param measurements further named measurements (the aggregation's, the transport's); non-finite
 *     values are stored as JSON {@code null} and read back as NaN
 */
public record RoundRecord(int number, Outcome outcome, Optional<String> reason, OptionalDouble accuracy,
    OptionalDouble loss, double seconds, List<Participant> participants, Optional<PrivacySpent> privacySpent,
    Map<String, Double> measurements) {

  /** How a round ended; the same three ends as the server's {@code RoundOutcome}. */
  public enum Outcome {
    /** The round changed the global model. */
    COMPLETED,
    /** The round did not start. */
    SKIPPED,
    /** The round started and changed nothing. */
    ABORTED
  }

  public RoundRecord {
    if (number < 1) {
      throw new IllegalArgumentException("round number must be >= 1 but was " + number);
    }
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(accuracy, "accuracy");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(privacySpent, "privacySpent");
    if ((outcome == Outcome.COMPLETED) == reason.isPresent()) {
      throw new IllegalArgumentException("round " + number + " is " + outcome
          + ": a reason is required for skipped and aborted rounds and not allowed for completed ones");
    }
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("seconds must be finite and >= 0 but was " + seconds);
    }
    participants = List.copyOf(participants);
    Set<String> names = new HashSet<>();
    for (Participant p : participants) {
      if (!names.add(p.client())) {
        throw new IllegalArgumentException("round " + number + " lists participant " + p.client() + " twice");
      }
    }
    measurements = Collections.unmodifiableMap(new LinkedHashMap<>(measurements));
    for (Map.Entry<String, Double> e : measurements.entrySet()) {
      Objects.requireNonNull(e.getKey(), "measurement name");
      Objects.requireNonNull(e.getValue(), () -> "measurement " + e.getKey());
    }
  }

  /** The number of clients whose update was aggregated. */
  public int contributors() {
    return (int) participants.stream().filter(p -> p.status() == Participant.Status.CONTRIBUTED).count();
  }

  /** A builder for a round that changed the global model. */
  public static Builder completed(int number) {
    return new Builder(number, Outcome.COMPLETED, Optional.empty());
  }

  /** A builder for a round that did not start, for {@code reason}. */
  public static Builder skipped(int number, String reason) {
    return new Builder(number, Outcome.SKIPPED, Optional.of(reason));
  }

  /** A builder for a round that started and was abandoned, for {@code reason}. */
  public static Builder aborted(int number, String reason) {
    return new Builder(number, Outcome.ABORTED, Optional.of(reason));
  }

  /** Builds a {@link RoundRecord}; not thread-safe. Unset metrics are absent, seconds default to 0. */
  public static final class Builder {
    private final int number;
    private final Outcome outcome;
    private final Optional<String> reason;
    private OptionalDouble accuracy = OptionalDouble.empty();
    private OptionalDouble loss = OptionalDouble.empty();
    private double seconds;
    private final List<Participant> participants = new ArrayList<>();
    private Optional<PrivacySpent> privacySpent = Optional.empty();
    private final Map<String, Double> measurements = new LinkedHashMap<>();

    private Builder(int number, Outcome outcome, Optional<String> reason) {
      this.number = number;
      this.outcome = outcome;
      this.reason = reason;
    }

    public Builder accuracy(double accuracy) {
      this.accuracy = OptionalDouble.of(accuracy);
      return this;
    }

    public Builder loss(double loss) {
      this.loss = OptionalDouble.of(loss);
      return this;
    }

    public Builder seconds(double seconds) {
      this.seconds = seconds;
      return this;
    }

    public Builder participant(Participant participant) {
      participants.add(Objects.requireNonNull(participant, "participant"));
      return this;
    }

    public Builder participants(List<Participant> participants) {
      participants.forEach(this::participant);
      return this;
    }

    public Builder privacySpent(double epsilon, double delta) {
      this.privacySpent = Optional.of(new PrivacySpent(epsilon, delta));
      return this;
    }

    public Builder measurement(String name, double value) {
      measurements.put(Objects.requireNonNull(name, "name"), value);
      return this;
    }

    public Builder measurements(Map<String, Double> measurements) {
      measurements.forEach(this::measurement);
      return this;
    }

    public RoundRecord build() {
      return new RoundRecord(number, outcome, reason, accuracy, loss, seconds, participants, privacySpent,
          measurements);
    }
  }
}
