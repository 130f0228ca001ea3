package dev.cohort.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The root logger routed through the JSON formatter, for JUL and System.Logger callers alike. */
class StructuredLoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Logger root = Logger.getLogger("");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private Handler[] saved;
  private Level savedLevel;

  @BeforeEach
  void save() {
    saved = root.getHandlers();
    savedLevel = root.getLevel();
  }

  @AfterEach
  void restore() {
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    for (Handler h : saved) {
      root.addHandler(h);
    }
    root.setLevel(savedLevel);
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void install_routesJulAndSystemLoggerAsJsonLines() throws Exception {
    StructuredLogging.install(Level.INFO, out);

    Logger.getLogger("io.grpc.netty.Test").warning("connection reset");
    System.getLogger("dev.cohort.grpc.Test").log(System.Logger.Level.INFO, "{0}: connected to {1}", "alice", "host");

    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("logger").asText()).isEqualTo("io.grpc.netty.Test");
    assertThat(lines.get(0).get("level").asText()).isEqualTo("WARN");
    assertThat(lines.get(1).get("logger").asText()).isEqualTo("dev.cohort.grpc.Test");
    assertThat(lines.get(1).get("msg").asText()).isEqualTo("alice: connected to host");
  }

  @Test
  void install_replacesTheRootHandlers() {
    Handler installed = StructuredLogging.install(Level.INFO, out);

    assertThat(root.getHandlers()).containsExactly(installed);
    assertThat(installed.getFormatter()).isInstanceOf(JsonLogFormatter.class);
  }

  @Test
  void install_dropsRecordsBelowTheLevel() throws Exception {
    StructuredLogging.install(Level.WARNING, out);

    Logger.getLogger("dev.cohort.test").info("quiet");
    System.getLogger("dev.cohort.test").log(System.Logger.Level.ERROR, "loud", new RuntimeException("boom"));

    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("level").asText()).isEqualTo("ERROR");
    assertThat(lines.get(0).get("thrown").asText()).startsWith("java.lang.RuntimeException: boom");
  }

  @Test
  void install_fineLevel_letsDebugThrough() throws Exception {
    StructuredLogging.install(Level.FINE, out);

    System.getLogger("dev.cohort.test").log(System.Logger.Level.DEBUG, "details");

    assertThat(lines().getFirst().get("level").asText()).isEqualTo("DEBUG");
  }
}
