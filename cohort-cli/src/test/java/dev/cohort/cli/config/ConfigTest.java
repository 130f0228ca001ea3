package dev.cohort.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  private Config load(String toml, String... overrides) throws Exception {
    Path f = dir.resolve("c.toml");
    Files.writeString(f, toml);
    return Config.load(Schema.simulation(), f, List.of(overrides));
  }

  /* --- reading --- */

  @Test
  void toToml_loadsBackToTheSameEffectiveValues() throws Exception {
    Config c = load("[data]\npath = \"C:\\\\data\\\\x \\\"y\\\".csv\"\ndataset = \"csv\"\n[privacy]\nmode = \"client-level\"\n"
        + "epsilon = 3.5\ndelta = 1e-7\n[model]\nhidden = [64, 32]\n", "federation.rounds=7");
    Config back = load(c.toToml());
    assertThat(back.effective()).isEqualTo(c.effective());
    assertThat(back.toToml()).isEqualTo(c.toToml());
    assertThat(c.toToml()).contains("[federation]\n").contains("rounds = 7\n").contains("hidden = [64, 32]\n");
  }

  @Test
  void absentKeys_takeDefaults() throws Exception {
    Config c = load("[train]\nepochs = 3\n");
    assertThat(c.integer("train", "epochs")).isEqualTo(3);
    assertThat(c.integer("train", "batch_size")).isEqualTo(32);
    assertThat(c.string("data", "partition")).isEqualTo("iid");
    assertThat(c.intList("model", "hidden")).containsExactly(200, 200);
    assertThat(c.find("federation", "target_accuracy")).isEmpty();
  }

  @Test
  void exampleConfigs_areValid() throws Exception {
    for (String name : List.of("fashion-mnist.toml", "niid-bench.toml", "fashion-mnist-dpsgd.toml", "fashion-mnist-client-dp.toml", "fashion-mnist-dpsgd-federated.toml")) {
      Path f = Path.of(System.getProperty("user.dir")).resolveSibling("examples").resolve(name);
      Config c = Config.load(Schema.simulation(), f, List.of());
      assertThat(c.integer("federation", "rounds")).isPositive();
    }
  }

  @Test
  void set_overridesFileValue() throws Exception {
    Config c = load("[train]\nepochs = 3\n", "train.epochs=5", "model.hidden=[64, 32]", "data.alpha=0.1");
    assertThat(c.integer("train", "epochs")).isEqualTo(5);
    assertThat(c.intList("model", "hidden")).containsExactly(64, 32);
    assertThat(c.number("data", "alpha")).isEqualTo(0.1);
  }

  @Test
  void integerWhereNumberExpected_isAccepted() throws Exception {
    assertThat(load("[train]\nlearning_rate = 1\n").number("train", "learning_rate")).isEqualTo(1.0);
  }

  /* --- errors --- */

  @Test
  void unknownKey_namesKeyAndAllowedKeys() {
    assertThatThrownBy(() -> load("[train]\nbatchsize = 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key [train] batchsize")
        .hasMessageContaining("batch_size");
  }

  @Test
  void unknownSection_namesAllowedSections() {
    assertThatThrownBy(() -> load("[trian]\nepochs = 3\n"))
        .hasMessageContaining("unknown section [trian]").hasMessageContaining("[train]");
  }

  @Test
  void wrongType_namesKeyAndExpectedType() {
    assertThatThrownBy(() -> load("[train]\nepochs = \"three\"\n"))
        .hasMessage("[train] epochs must be an integer in [1, 10000], got \"three\"");
  }

  @Test
  void outOfRange_namesRange() {
    assertThatThrownBy(() -> load("[federation]\nfraction = 1.5\n"))
        .hasMessage("[federation] fraction must be a number in (0, 1], got 1.5");
    assertThatThrownBy(() -> load("", "train.learning_rate=0"))
        .hasMessage("[train] learning_rate must be a number > 0, got 0.0");
  }

  @Test
  void badChoice_listsChoices() {
    assertThatThrownBy(() -> load("[data]\npartition = \"dirichlet-ish\"\n"))
        .hasMessageContaining("[data] partition must be one of iid, dirichlet, label-quantity, shards, quantity-skew");
  }

  @Test
  void malformedToml_namesLine() {
    assertThatThrownBy(() -> load("[train]\nepochs = = 3\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("c.toml:2");
  }

  @Test
  void setWithoutSection_isExplained() {
    assertThatThrownBy(() -> load("", "epochs=3"))
        .hasMessageContaining("--set takes section.key=value");
  }

  @Test
  void topLevelKey_isRejected() {
    assertThatThrownBy(() -> load("rounds = 3\n")).hasMessageContaining("unknown section [rounds]");
  }
}
