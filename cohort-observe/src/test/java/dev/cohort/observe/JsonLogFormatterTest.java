package dev.cohort.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Log records formatted as JSON lines and parsed back with Jackson. */
class JsonLogFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonLogFormatter formatter = new JsonLogFormatter();

  private static LogRecord record(Level level, String msg, Object... params) {
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName("dev.cohort.test");
    r.setInstant(Instant.parse("2026-11-22T07:40:00.123Z"));
    if (params.length > 0) {
      r.setParameters(params);
    }
    return r;
  }

  private JsonNode parse(String line) throws Exception {
    assertThat(line).endsWith("}\n");
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    return JSON.readTree(line);
  }

  /* --- fields --- */

  @Test
  void format_plainRecord_hasTsLevelLoggerMsg() throws Exception {
    String line = formatter.format(record(Level.INFO, "server started"));

    assertThat(line).isEqualTo(
        "{\"ts\":\"2026-11-22T07:40:00.123Z\",\"level\":\"INFO\",\"logger\":\"dev.cohort.test\",\"msg\":\"server started\"}\n");
    JsonNode n = parse(line);
    assertThat(Instant.parse(n.get("ts").asText())).isEqualTo(Instant.parse("2026-11-22T07:40:00.123Z"));
    assertThat(n.has("thrown")).isFalse();
  }

  @Test
  void format_appliesParameters() throws Exception {
    JsonNode n = parse(formatter.format(record(Level.WARNING, "{0}: refusing request {1}", "alice", "m-7")));

    assertThat(n.get("msg").asText()).isEqualTo("alice: refusing request m-7");
    assertThat(n.get("level").asText()).isEqualTo("WARN");
  }

  @Test
  void format_levels_useConventionalNames() {
    assertThat(List.of(Level.SEVERE, Level.WARNING, Level.INFO, Level.CONFIG, Level.FINE, Level.FINER, Level.FINEST)
        .stream().map(JsonLogFormatter::levelName))
        .containsExactly("ERROR", "WARN", "INFO", "DEBUG", "DEBUG", "TRACE", "TRACE");
  }

  @Test
  void format_thrown_includesStackTrace() throws Exception {
    LogRecord r = record(Level.SEVERE, "cannot reload trust");
    r.setThrown(new IllegalStateException("bundle missing", new java.io.IOException("disk")));

    JsonNode n = parse(formatter.format(r));

    assertThat(n.get("thrown").asText()).startsWith("java.lang.IllegalStateException: bundle missing\n")
        .contains("at dev.cohort.observe.JsonLogFormatterTest.format_thrown_includesStackTrace")
        .contains("Caused by: java.io.IOException: disk");
  }

  @Test
  void format_escapesQuotesBackslashesAndControlCharacters() throws Exception {
    String msg = "line one\nline \"two\"\t\\ end\r\u0001 \u2028 é ✓";

    JsonNode n = parse(formatter.format(record(Level.INFO, msg)));

    assertThat(n.get("msg").asText()).isEqualTo(msg);
  }

  @Test
  void format_nullLoggerName_isJsonNull() throws Exception {
    LogRecord r = record(Level.INFO, "x");
    r.setLoggerName(null);

    assertThat(parse(formatter.format(r)).get("logger").isNull()).isTrue();
  }

  /* --- events --- */

  @Test
  void format_eventParameter_addsEventAndFieldsAtTopLevel() throws Exception {
    LogEvent event = LogEvent.named("round_ended").with("round", 3).with("outcome", "completed")
        .with("accuracy", 0.915).with("loss", Double.NaN).with("secure", true).with("note", null)
        .with("failures", List.of(Map.of("client", "c"))).with("bytes", 12_345_678_901L);

    JsonNode n = parse(formatter.format(record(Level.INFO, "round 3 completed {weird", event)));

    assertThat(n.get("msg").asText()).isEqualTo("round 3 completed {weird");
    assertThat(n.get("event").asText()).isEqualTo("round_ended");
    assertThat(n.get("round").asInt()).isEqualTo(3);
    assertThat(n.get("outcome").asText()).isEqualTo("completed");
    assertThat(n.get("accuracy").asDouble()).isEqualTo(0.915);
    assertThat(n.get("loss").isNull()).isTrue();
    assertThat(n.get("secure").asBoolean()).isTrue();
    assertThat(n.get("note").isNull()).isTrue();
    assertThat(n.get("failures").get(0).get("client").asText()).isEqualTo("c");
    assertThat(n.get("bytes").asLong()).isEqualTo(12_345_678_901L);
    List<String> keys = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).startsWith("ts", "level", "logger", "msg", "event", "round");
  }

  @Test
  void logEvent_reservedFieldName_fails() {
    assertThatThrownBy(() -> LogEvent.named("e").with("msg", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("field name msg is reserved");
  }
}
