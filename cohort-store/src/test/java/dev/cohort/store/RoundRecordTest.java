package dev.cohort.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoundRecordTest {

  @Test
  void completed_countsContributors() {
    RoundRecord r = TestPayloads.round(1);

    assertThat(r.contributors()).isEqualTo(2);
    assertThat(r.participants()).hasSize(3);
    assertThat(r.reason()).isEmpty();
  }

  @Test
  void number_zero_isRefused() {
    assertThatThrownBy(() -> RoundRecord.completed(0).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("round number must be >= 1 but was 0");
  }

  @Test
  void skipped_needsAReason_completedMustNotHaveOne() {
    assertThatThrownBy(() -> new RoundRecord(1, RoundRecord.Outcome.SKIPPED, Optional.empty(),
        java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), 0, java.util.List.of(), Optional.empty(),
        java.util.Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason is required");
  }

  @Test
  void participants_sameNameTwice_isRefused() {
    assertThatThrownBy(() -> RoundRecord.completed(1).participant(Participant.contributed("a"))
        .participant(Participant.failed("a", "timeout", "late")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("participant a twice");
  }

  @Test
  void seconds_negative_isRefused() {
    assertThatThrownBy(() -> RoundRecord.completed(1).seconds(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("seconds must be finite and >= 0 but was -1.0");
  }

  @Test
  void participant_failedWithoutReason_isRefused() {
    assertThatThrownBy(() -> new Participant("a", Participant.Status.FAILED, Optional.of("timeout"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("participant a is FAILED");
  }

  @Test
  void privacySpent_negativeEpsilon_isRefused() {
    assertThatThrownBy(() -> new PrivacySpent(-0.1, 1e-5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epsilon must be finite and >= 0 but was -0.1");
  }
}
