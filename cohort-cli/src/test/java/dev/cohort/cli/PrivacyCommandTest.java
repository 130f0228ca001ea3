package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code cohort privacy epsilon|noise} through picocli, with the CLI's handling of
 * IllegalArgumentException (one line on stderr, exit code 2). The setting is TensorFlow Privacy's
 * compute_dp_sgd_privacy_test case "Test0": 60000 examples, batch 150 (sample rate 0.0025), noise
 * 1.3, 15 epochs = 6000 steps, delta 1e-5.
 */
class PrivacyCommandTest {

  private record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out.strip());
    }
  }

  private static Run privacy(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PrivacyCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException) {
        cmd.getErr().println("cohort: " + e.getMessage());
        cmd.getErr().flush();
        return 2;
      }
      throw e;
    });
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /* --- epsilon --- */

  @Test
  void epsilon_json_defaultsToImprovedConversion() throws Exception {
    Run r = privacy("epsilon", "--noise-multiplier", "1.3", "--sample-rate", "0.0025", "--steps", "6000",
        "--delta", "1e-5", "--json");
    assertThat(r.exit()).isZero();
    JsonNode j = r.json();
    // tensorflow/privacy compute_dp_sgd_privacy_test.py @943ef91e, Test0: 0.7242234026109595, order 19.
    assertThat(j.get("epsilon").asDouble()).isCloseTo(0.7242234026109595, within(1e-9));
    assertThat(j.get("order").asDouble()).isEqualTo(19.0);
    assertThat(j.get("conversion").asText()).isEqualTo("improved");
  }

  @Test
  void epsilon_json_classicConversion() throws Exception {
    Run r = privacy("epsilon", "--noise-multiplier", "1.3", "--sample-rate", "0.0025", "--steps", "6000",
        "--delta", "1e-5", "--conversion", "classic", "--json");
    assertThat(r.exit()).isZero();
    // The classic-conversion version of the same test: 0.941870567 at order 19.
    assertThat(r.json().get("epsilon").asDouble()).isCloseTo(0.941870567, within(5e-10));
    assertThat(r.json().get("conversion").asText()).isEqualTo("classic");
  }

  @Test
  void epsilon_text_saysWhatWasComputed() {
    Run r = privacy("epsilon", "--noise-multiplier", "1.3", "--sample-rate", "0.0025", "--steps", "6000",
        "--delta", "1e-5");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("epsilon 0.724223 at delta 1.0E-5 (RDP order 19, improved conversion;")
        .contains("6000 steps");
  }

  /* --- noise --- */

  @Test
  void noise_json_invertsEpsilon() throws Exception {
    // tensorflow/privacy compute_noise_from_budget_test.py, Test0: target 0.941870567 -> noise 1.3
    // (classic conversion).
    Run r = privacy("noise", "--epsilon", "0.941870567", "--delta", "1e-5", "--sample-rate", "0.0025",
        "--steps", "6000", "--conversion", "classic", "--json");
    assertThat(r.exit()).isZero();
    assertThat(r.json().get("noise_multiplier").asDouble()).isCloseTo(1.3, within(5e-8));
    assertThat(r.json().get("epsilon").asDouble()).isLessThanOrEqualTo(0.941870567);
  }

  @Test
  void noise_text_defaultsToImproved() {
    Run r = privacy("noise", "--epsilon", "0.7242234026109595", "--delta", "1e-5", "--sample-rate", "0.0025",
        "--steps", "6000");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("noise multiplier 1.3 for epsilon 0.7242234026109595 at delta 1.0E-5"
        + " (improved conversion;");
  }

  /* --- validation --- */

  @Test
  void epsilon_invalidValues_nameTheFlagAndExitWith2() {
    assertThat(privacy("epsilon", "--noise-multiplier", "1", "--sample-rate", "1.5", "--steps", "10",
        "--delta", "1e-5")).satisfies(r -> {
          assertThat(r.exit()).isEqualTo(2);
          assertThat(r.err()).isEqualTo("cohort: --sample-rate must be in (0, 1] but was 1.5" + System.lineSeparator());
        });
    assertThat(privacy("epsilon", "--noise-multiplier", "-1", "--sample-rate", "0.1", "--steps", "10",
        "--delta", "1e-5").err()).contains("--noise-multiplier must be finite and > 0 but was -1.0");
    assertThat(privacy("epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1", "--steps", "0",
        "--delta", "1e-5").err()).contains("--steps must be >= 1 but was 0");
    assertThat(privacy("epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1", "--steps", "10",
        "--delta", "1").err()).contains("--delta must be in (0, 1) but was 1.0");
    Run r = privacy("epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1", "--steps", "10",
        "--delta", "1e-5", "--conversion", "tight");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--conversion must be improved or classic but was tight");
  }

  @Test
  void noise_invalidOrUnreachable_exitWith2() {
    assertThat(privacy("noise", "--epsilon", "0", "--delta", "1e-5", "--sample-rate", "0.1", "--steps", "10")
        .err()).contains("--epsilon must be finite and > 0 but was 0.0");
    Run r = privacy("noise", "--epsilon", "0.001", "--delta", "1e-5", "--sample-rate", "0.1", "--steps", "10",
        "--conversion", "classic");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("target epsilon 0.001 is unreachable");
  }

  @Test
  void missingOptionOrSubcommand_isUsageError() {
    assertThat(privacy("epsilon", "--noise-multiplier", "1").exit()).isEqualTo(2);
    assertThat(privacy().exit()).isEqualTo(2);
  }
}
