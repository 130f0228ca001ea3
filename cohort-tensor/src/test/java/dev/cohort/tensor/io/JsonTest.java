package dev.cohort.tensor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void parse_nestedValues() {
    Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": {}} ");
    assertThat(v).isEqualTo(Map.of(
        "a", List.of(1L, -2L, 3.5, 1000.0, true, false, Json.NULL),
        "b", Map.of("c", "d"),
        "e", Map.of()));
  }

  @Test
  void parse_keepsKeyOrder() {
    Map<?, ?> m = (Map<?, ?>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
    assertThat(List.copyOf(m.keySet())).isEqualTo(List.of("z", "a", "m"));
  }

  @Test
  void parse_escapes() {
    assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u4e2d \\ud83d\\ude00\""))
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t é中 😀");
  }

  @Test
  void writeString_thenParse_roundTrips() {
    String s = "quote\" back\\ nl\n ctrl\u0001 tab\t é 😀";
    StringBuilder sb = new StringBuilder();
    Json.writeString(sb, s);
    assertThat(sb.toString()).doesNotContain("\n").contains("\\u0001");
    assertThat(Json.parse(sb.toString())).isEqualTo(s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "01", "1.", "-", "1e", "tru",
      "\"abc", "\"a\nb\"", "\"\\x\"", "\"\\u12\"", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "'a'", "[1 2]", "NaN"})
  void parse_malformed_rejected(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at character");
  }

  @Test
  void parse_tooDeep_rejected() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting deeper");
  }

  @Test
  void parse_hugeInteger_becomesDouble() {
    assertThat(Json.parse("123456789012345678901234567890")).isInstanceOf(Double.class);
  }
}
