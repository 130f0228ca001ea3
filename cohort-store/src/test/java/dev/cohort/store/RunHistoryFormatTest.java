package dev.cohort.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunHistoryFormatTest {
  private static final Instant T = Instant.parse("2026-11-22T06:00:00Z");
  private static final Run RUN = new Run(3, "fmnist", "[federation]\nrounds = 2\n", 42, RunStatus.COMPLETED,
      Optional.of("all rounds ran"), T, T.plusSeconds(60));
  private static final RunHistory HISTORY = new RunHistory(RUN, List.of(TestPayloads.round(1),
      RoundRecord.skipped(2, "1 of 3 clients connected").seconds(30).build()));

  @Test
  void historyText_showsEachRoundAndThePrivacySpent() {
    String text = RunHistoryFormat.historyText(HISTORY);

    assertThat(text).startsWith("run 3 \"fmnist\": completed (all rounds ran), seed 42");
    assertThat(text.lines()).anyMatch(l -> l.matches("\\s+1\\s+completed\\s+0\\.5010\\s+1\\.0000\\s+2/3\\s+0\\.1000\\s+"
        + "1\\.00e-05\\s+0\\.3\\s+site-c: timeout \\(no reply within 30 s\\)"));
    assertThat(text.lines()).anyMatch(l -> l.matches("\\s+2\\s+skipped\\s+-\\s+-\\s+0/0\\s+-\\s+-\\s+30\\.0\\s+"
        + "1 of 3 clients connected"));
    assertThat(text).endsWith("privacy spent: epsilon 0.1000, delta 1.00e-05\n");
  }

  @Test
  void historyJson_hasRoundsParticipantsAndPrivacy() throws Exception {
    JsonNode json = new ObjectMapper().readTree(RunHistoryFormat.historyJson(HISTORY));

    assertThat(json.at("/run/id").asLong()).isEqualTo(3);
    assertThat(json.at("/run/status").asText()).isEqualTo("completed");
    assertThat(json.at("/rounds/0/accuracy").asDouble()).isEqualTo(0.501);
    assertThat(json.at("/rounds/0/contributors").asInt()).isEqualTo(2);
    assertThat(json.at("/rounds/0/participants/2/failure_kind").asText()).isEqualTo("timeout");
    assertThat(json.at("/rounds/0/measurements/bytes_in").asDouble()).isEqualTo(1234.0);
    assertThat(json.at("/rounds/1/accuracy").isNull()).isTrue();
    assertThat(json.at("/rounds/1/reason").asText()).isEqualTo("1 of 3 clients connected");
    assertThat(json.at("/privacy_spent/epsilon").asDouble()).isEqualTo(0.1);
  }

  @Test
  void runsText_listsRunsWithTheirStatus() {
    String text = RunHistoryFormat.runsText(List.of(RUN));

    assertThat(text.lines()).hasSize(2);
    assertThat(text.lines().skip(1).findFirst().orElseThrow())
        .matches("\\s+3\\s+completed\\s+2026-11-22T06:00:00Z\\s+2026-11-22T06:01:00Z\\s+fmnist \\(all rounds ran\\)");
    assertThat(RunHistoryFormat.runsText(List.of())).isEqualTo("no runs\n");
  }

  @Test
  void runsJson_leavesOutTheConfig() throws Exception {
    JsonNode json = new ObjectMapper().readTree(RunHistoryFormat.runsJson(List.of(RUN)));

    assertThat(json.at("/runs/0/name").asText()).isEqualTo("fmnist");
    assertThat(json.at("/runs/0/config").isMissingNode()).isTrue();
  }
}
