package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line end to end: real configs, real data files, real training. */
class CliTest {
  @TempDir Path dir;
  private Path csv;
  private Path config;

  /** Four Gaussian blobs in 6 dimensions: learnable to high accuracy in a few rounds. */
  @BeforeEach
  void writeData() throws Exception {
    csv = dir.resolve("blobs.csv");
    StringBuilder sb = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 1200; i++) {
      int label = i % 4;
      for (int f = 0; f < 6; f++) {
        double centre = (f % 4 == label) ? 2.0 : 0.0;
        sb.append(String.format(Locale.ROOT, "%.4f,", centre + rng.nextGaussian() * 0.7));
      }
      sb.append("class-").append(label).append('\n');
    }
    Files.writeString(csv, sb);
    config = dir.resolve("sim.toml");
    Files.writeString(config, """
        [data]
        dataset = "csv"
        path = "%s"
        partition = "dirichlet"
        alpha = 1.0
        clients = 8
        seed = 3

        [model]
        kind = "mlp"
        hidden = [16]

        [train]
        epochs = 2
        batch_size = 16
        learning_rate = 0.1

        [federation]
        rounds = 4
        fraction = 0.5
        min_clients = 2
        """.formatted(csv.toString().replace("\\", "\\\\")));
  }

  private record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      String[] lines = out.strip().split("\n");
      return new ObjectMapper().readTree(lines[lines.length - 1]);
    }
  }

  private Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      CommandLine cmd = new CommandLine(new Main());
      int exit = Main.execute(cmd, new PrintWriter(out), new PrintWriter(err), args);
      return new Run(exit, out.toString(), err + errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
  }

  @Test
  void sim_json_lastLineSummarisesEveryRound() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--json");
    assertThat(r.exit).as(r.err).isZero();
    JsonNode json = r.json();
    assertThat(json.get("rounds")).hasSize(4);
    JsonNode first = json.get("rounds").get(0);
    assertThat(first.get("round").asInt()).isEqualTo(1);
    assertThat(first.get("clients").asInt()).isEqualTo(4);
    assertThat(first.has("accuracy") && first.has("loss") && first.has("seconds")).isTrue();
    assertThat(json.get("final").get("accuracy").asDouble()).isGreaterThan(0.8);
    assertThat(json.get("seconds").asDouble()).isPositive();
    assertThat(r.err).contains("round 4/4").contains("examples per client");
  }

  @Test
  void sim_partitionFile_givesEachClientExactlyTheListedExamples() throws Exception {
    Path split = dir.resolve("split.txt");
    StringBuilder even = new StringBuilder();
    StringBuilder odd = new StringBuilder();
    for (int i = 0; i < 900; i++) {
      (i % 2 == 0 ? even : odd).append(i).append(i % 10 == 9 ? "\n" : ", ");
    }
    Files.writeString(split, "# client 0: even indices, client 1: odd, examples 900+ left out\n"
        + even.toString().replace("\n", " ") + "\n\n" + odd.toString().replace("\n", " ") + "\n");
    String file = "data.partition_file=" + split;
    Run r = cli("sim", "--config", config.toString(), "--set", "data.partition=file", "--set", file,
        "--set", "data.clients=2", "--set", "federation.fraction=1.0", "--json");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.err).contains("file(file=split.txt)").containsPattern("(?m)^\\s+0\\s+450\\s")
        .containsPattern("(?m)^\\s+1\\s+450\\s");
    assertThat(r.json().get("final").get("accuracy").asDouble()).isGreaterThan(0.8);

    Run mismatch = cli("sim", "--config", config.toString(), "--set", "data.partition=file", "--set", file,
        "--set", "data.clients=3");
    assertThat(mismatch.exit).isNotZero();
    assertThat(mismatch.err).contains("split.txt assigns examples to 2 clients but the run has 3");

    Files.writeString(split, "0 1 2\n3 four 5\n");
    Run malformed = cli("sim", "--config", config.toString(), "--set", "data.partition=file", "--set", file,
        "--set", "data.clients=2");
    assertThat(malformed.exit).isEqualTo(2);
    assertThat(malformed.err).contains("split.txt: line 2, item 2: \"four\" is not an example index");

    Run missing = cli("sim", "--config", config.toString(), "--set", "data.partition=file", "--set", "data.clients=2");
    assertThat(missing.exit).isNotZero();
    assertThat(missing.err).contains("[data] partition_file is required for partition = \"file\"");
  }

  @Test
  void sim_fractionEvaluate_addsTheClientsOwnEvaluationToEachRound() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--set", "federation.fraction_evaluate=0.5", "--json");
    assertThat(r.exit).as(r.err).isZero();
    for (JsonNode round : r.json().get("rounds")) {
      assertThat(round.get("federated_accuracy").asDouble()).isBetween(0.0, 1.0);
      assertThat(round.get("federated_loss").asDouble()).isPositive();
    }
    assertThat(r.err).contains("clients' accuracy");
  }

  @Test
  void sim_quorum_closesEachRoundWithTheFirstResponders_andListsTheLateOnes() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--set", "federation.fraction=1.0",
        "--set", "federation.quorum=6", "--json");
    assertThat(r.exit).as(r.err).isZero();
    for (JsonNode round : r.json().get("rounds")) {
      assertThat(round.get("status").asText()).isEqualTo("completed");
      assertThat(round.get("clients").asInt()).isEqualTo(6);
      assertThat(round.get("sampled").asInt()).isEqualTo(8);
      assertThat(round.get("failures")).hasSize(2).allSatisfy(f -> {
        assertThat(f.get("kind").asText()).isEqualTo("late");
        assertThat(f.get("reason").asText()).contains("enough replies");
        assertThat(f.get("client").asText()).isNotBlank();
      });
    }
  }

  @Test
  void sim_quorumBelowMinClientsOrWithSecureAggregation_isRefusedWithTheReason() {
    Run below = cli("sim", "--config", config.toString(), "--set", "federation.quorum=1");
    assertThat(below.exit).isNotZero();
    assertThat(below.err).contains("[federation] quorum (1) must be 0 or at least min_clients (2)");
    Run secure = cli("sim", "--config", config.toString(), "--set", "federation.quorum=3",
        "--set", "secure_aggregation.enabled=true");
    assertThat(secure.exit).isNotZero();
    assertThat(secure.err).contains("[federation] quorum closes plain rounds early");
  }

  @Test
  void sim_sameConfigAndSeed_givesIdenticalResults() throws Exception {
    JsonNode a = cli("sim", "--config", config.toString(), "--json").json();
    JsonNode b = cli("sim", "--config", config.toString(), "--json").json();
    for (int i = 0; i < 4; i++) {
      assertThat(b.get("rounds").get(i).get("loss").asDouble())
          .isEqualTo(a.get("rounds").get(i).get("loss").asDouble());
      assertThat(b.get("rounds").get(i).get("accuracy").asDouble())
          .isEqualTo(a.get("rounds").get(i).get("accuracy").asDouble());
    }
  }

  @Test
  void sim_otherSeed_givesDifferentResults() throws Exception {
    JsonNode a = cli("sim", "--config", config.toString(), "--json").json();
    JsonNode b = cli("sim", "--config", config.toString(), "--set", "data.seed=4", "--json").json();
    assertThat(b.get("rounds").get(0).get("loss").asDouble())
        .isNotEqualTo(a.get("rounds").get(0).get("loss").asDouble());
  }

  @Test
  void sim_targetAccuracy_stopsEarly() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--set", "federation.rounds=50",
        "--set", "federation.target_accuracy=0.5", "--json");
    assertThat(r.exit).isZero();
    assertThat(r.json().get("stop_reason").asText()).isEqualTo("target_reached");
    assertThat(r.json().get("rounds").size()).isLessThan(50);
  }

  @Test
  void checkpoint_holdsFinalModelAndProvenance() throws Exception {
    Path file = dir.resolve("model.safetensors");
    Run r = cli("sim", "--config", config.toString(), "--checkpoint", file.toString(), "--json");
    assertThat(r.exit).as(r.err).isZero();
    Safetensors.Contents saved = Safetensors.read(file);
    assertThat(saved.parameters().layout().entries()).extracting(e -> e.name())
        .containsExactly("dense0.weight", "dense0.bias", "dense1.weight", "dense1.bias");
    assertThat(saved.parameters().tensor("dense0.weight").shape()).isEqualTo(Shape.of(16, 6));
    assertThat(saved.metadata()).containsEntry("cohort.config.data.seed", "3")
        .containsEntry("cohort.rounds_run", "4")
        .containsEntry("cohort.final_accuracy", r.json().get("final").get("accuracy").asText());
  }

  /* --- privacy --- */

  private String[] clientLevel(String... more) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("sim", "--config", config.toString(),
        "--set", "privacy.mode=client-level", "--set", "privacy.epsilon=2", "--set", "privacy.delta=0.01",
        "--set", "privacy.noise_multiplier=1.0", "--set", "privacy.ledger=" + dir.resolve("ledger.tsv"),
        "--set", "privacy.noise_seed=1", "--json"));
    args.addAll(java.util.List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void clientLevelDp_reportsEpsilonPerRoundAndStopsBeforeTheBudgetIsExceeded() throws Exception {
    Run r = cli(clientLevel("--set", "federation.rounds=200"));
    assertThat(r.exit).as(r.err).isZero();
    JsonNode json = r.json();
    assertThat(json.get("stop_reason").asText()).isEqualTo("refused");
    assertThat(json.get("stop_detail").asText()).contains("privacy budget").contains("would be exceeded");
    double last = 0;
    for (JsonNode round : json.get("rounds")) {
      double eps = round.get("privacy").get("epsilon").asDouble();
      assertThat(eps).isGreaterThan(last).isLessThanOrEqualTo(2.0);
      last = eps;
    }
    assertThat(json.get("privacy").get("epsilon").asDouble()).isEqualTo(last);
    assertThat(r.err).contains("NOT private");

    Run again = cli(clientLevel("--set", "federation.rounds=200"));
    assertThat(again.json().get("rounds")).isEmpty();
    assertThat(again.json().get("stop_detail").asText()).contains("before round 1");
  }

  @Test
  void localDp_noisesUpdatesAndChargesEveryRoundAtSampleRateOne() throws Exception {
    Run r = cli(clientLevel("--set", "privacy.mode=local", "--set", "federation.rounds=3",
        "--set", "privacy.epsilon=50"));
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.err).contains("local DP").contains("sample rate 1.0");
    JsonNode rounds = r.json().get("rounds");
    assertThat(rounds).hasSize(3);
    double eps1 = rounds.get(0).get("privacy").get("epsilon").asDouble();
    double single = dev.cohort.privacy.accounting.PrivacyAccountant.create()
        .spend(new dev.cohort.privacy.accounting.PoissonSampledGaussian(1.0, 1.0, 1)).epsilon(0.01).epsilon();
    assertThat(eps1).isEqualTo(single);
  }

  @Test
  void dpSgd_eachHolderIsChargedForItsOwnLotsAndTheRunStopsAtTheBudget() throws Exception {
    Run r = cli(clientLevel("--set", "privacy.mode=dp-sgd", "--set", "privacy.delta=0.001",
        "--set", "privacy.epsilon=4", "--set", "federation.rounds=100", "--set", "train.batch_size=20",
        "--set", "data.partition=iid"));
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.err).contains("dp-sgd DP").contains("unit of privacy a record");
    JsonNode json = r.json();
    assertThat(json.get("stop_reason").asText()).isEqualTo("refused");
    // 960 training examples (80% of 1200) over 8 holders: 120 each, q = 20/120, 2 epochs = 12 steps a round.
    double perRound = dev.cohort.privacy.accounting.PrivacyAccountant.create()
        .spend(new dev.cohort.privacy.accounting.PoissonSampledGaussian(1.0, 20.0 / 120, 12)).epsilon(0.001).epsilon();
    assertThat(json.get("rounds").get(0).get("privacy").get("epsilon").asDouble()).isEqualTo(perRound);
    assertThat(json.get("privacy").get("epsilon").asDouble()).isLessThanOrEqualTo(4.0);
  }

  @Test
  void dpSgd_withoutNoiseMultiplier_eachHolderCalibratesToItsOwnSizeAndMeetsTheBudget() throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(clientLevel("--set", "privacy.mode=dp-sgd",
        "--set", "privacy.delta=0.001", "--set", "privacy.epsilon=4", "--set", "federation.rounds=3",
        "--set", "train.batch_size=8", "--set", "data.partition=quantity-skew", "--set", "data.alpha=1.0")));
    int i = args.indexOf("privacy.noise_multiplier=1.0");
    args.remove(i);
    args.remove(i - 1);
    Run r = cli(args.toArray(String[]::new));
    assertThat(r.exit).as(r.err).isZero();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("noise multipliers ([0-9.]+) to ([0-9.]+)").matcher(r.err);
    assertThat(m.find()).as(r.err).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isLessThan(Double.parseDouble(m.group(2)));
    JsonNode json = r.json();
    assertThat(json.get("rounds")).hasSize(3);
    assertThat(json.get("privacy").get("epsilon").asDouble()).isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void dpSgd_lotLargerThanAHolder_isRefused() {
    Run r = cli(clientLevel("--set", "privacy.mode=dp-sgd", "--set", "privacy.delta=0.001",
        "--set", "train.batch_size=500", "--set", "data.partition=iid"));
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("batch_size 500").contains("exceeds the 120 records");
  }

  @Test
  void certsIssueCount_issuesAndEnrolsNumberedClientsNamedAsTheSimulationNamesThem() throws Exception {
    Path pki = dir.resolve("pki");
    assertThat(cli("certs", "init", "--dir", pki.toString()).exit).isZero();
    Run r = cli("certs", "issue", "--dir", pki.toString(), "--name", "site", "--role", "client", "--count", "12");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out).contains("12 client certificates issued and enrolled: site-00 .. site-11");
    assertThat(dev.cohort.pki.FederationPki.open(pki).enrolled()).hasSize(12).contains("site-00", "site-11");
    assertThat(cli("certs", "init", "--dir", pki.toString()).err).contains("already holds a federation CA");
  }

  /* --- secure aggregation --- */

  @Test
  void secureAggregation_reportsSurvivorsDroppedAndRecoveredPerRound() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--json", "--set", "secure_aggregation.enabled=true",
        "--set", "federation.fraction=1.0", "--set", "secure_aggregation.dropout=0.25",
        "--set", "secure_aggregation.dropout_stage=masked_input");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.err).contains("secure aggregation: secagg+").contains("25% dropout at the masked_input stage");
    int dropped = 0;
    for (JsonNode round : r.json().get("rounds")) {
      JsonNode sa = round.get("secure_aggregation");
      assertThat(sa.get("survivors").asInt() + sa.get("dropped").asInt()).isEqualTo(8);
      assertThat(sa.get("recovered").asInt()).isEqualTo(sa.get("dropped").asInt());
      assertThat(sa.get("dropped_clients")).hasSize(sa.get("dropped").asInt());
      assertThat(round.get("clients").asInt()).isEqualTo(sa.get("survivors").asInt());
      dropped += sa.get("dropped").asInt();
    }
    assertThat(dropped).isPositive();
    assertThat(r.json().get("final").get("accuracy").asDouble()).isGreaterThan(0.8);
  }

  @Test
  void secureAggregationBelowThreshold_abortsEveryRoundAndLeavesTheModelUntouched() throws Exception {
    Path start = dir.resolve("start.safetensors");
    Path end = dir.resolve("end.safetensors");
    Run none = cli("sim", "--config", config.toString(), "--json", "--set", "federation.rounds=1",
        "--set", "train.learning_rate=1e-30", "--checkpoint", start.toString());
    assertThat(none.exit).as(none.err).isZero();
    Run r = cli("sim", "--config", config.toString(), "--json", "--set", "secure_aggregation.enabled=true",
        "--set", "federation.fraction=1.0", "--set", "secure_aggregation.dropout=0.9",
        "--checkpoint", end.toString());
    assertThat(r.exit).as(r.err).isZero();
    for (JsonNode round : r.json().get("rounds")) {
      assertThat(round.get("status").asText()).isEqualTo("aborted");
      assertThat(round.get("reason").asText()).contains("secure aggregation").contains("threshold");
    }
    // Nothing was applied: the final model is the initial one, as a run that learned nothing shows.
    assertThat(dev.cohort.tensor.io.Safetensors.read(end).parameters().data())
        .containsExactly(dev.cohort.tensor.io.Safetensors.read(start).parameters().data());
  }

  @Test
  void secureAggregationWithClientLevelDp_addsDistributedNoiseAndChargesTheBudget() throws Exception {
    Run r = cli(clientLevel("--set", "federation.rounds=2", "--set", "secure_aggregation.enabled=true"));
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.err).contains("discrete Gaussians under secure aggregation").contains("distributed-dp(z=1.0");
    for (JsonNode round : r.json().get("rounds")) {
      if (round.get("status").asText().equals("completed")) {
        assertThat(round.get("privacy").get("epsilon").asDouble()).isPositive();
        assertThat(round.has("secure_aggregation")).isTrue();
      }
    }
  }

  @Test
  void secureAggregationWithAdaptiveClipping_isRefusedWithTheReason() {
    Run r = cli(clientLevel("--set", "secure_aggregation.enabled=true", "--set", "privacy.adaptive_clipping=true"));
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("adaptive_clipping").contains("secure aggregation prevents");
  }

  @Test
  void secureAggregationThresholdThatIsNeitherFractionNorCount_isRefused() {
    Run r = cli("sim", "--config", config.toString(), "--set", "secure_aggregation.enabled=true",
        "--set", "secure_aggregation.threshold=2.5");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("threshold must be a fraction in (0, 1] or a whole count >= 2, got 2.5");
  }

  @Test
  void simulatedDropoutWithoutSecureAggregation_isRefused() {
    Run r = cli("sim", "--config", config.toString(), "--set", "secure_aggregation.dropout=0.2");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("[secure_aggregation] dropout needs enabled = true");
  }

  @Test
  void clientLevelDp_deltaAtLeastOneOverN_isRefusedWithTheReason() {
    Run r = cli(clientLevel("--set", "privacy.delta=0.2"));
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("delta must be < 1/N = 0.125 for N = 8");
  }

  @Test
  void clientLevelDp_withoutEpsilon_isRefused() {
    Run r = cli("sim", "--config", config.toString(), "--set", "privacy.mode=client-level");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("[privacy] epsilon is required");
  }

  @Test
  void unknownKey_exitsTwoWithOneLineNamingIt() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--set", "train.epoch=3");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err.strip()).startsWith("cohort: unknown key [train] epoch; allowed: epochs,").doesNotContain("\n");
  }

  @Test
  void outOfRangeValue_exitsTwoNamingAllowedValues() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--set", "federation.fraction=0");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err.strip()).isEqualTo("cohort: [federation] fraction must be a number in (0, 1], got 0.0");
  }

  @Test
  void missingDataset_saysHowToInstallIt() throws Exception {
    Run r = cli("sim", "--config", config.toString(), "--set", "data.dataset=fashion-mnist",
        "--set", "data.path=" + dir.resolve("nowhere"));
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("apt-get install dataset-fashion-mnist");
  }

  @Test
  void malformedCsv_namesFileLineAndColumn() throws Exception {
    Files.writeString(csv, "f0,f1,f2,f3,f4,f5,label\n1,2,3,4,5,6,a\n1,2,x,4,5,6,b\n");
    Run r = cli("sim", "--config", config.toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("blobs.csv").contains("line 3").contains("f2");
  }

  @Test
  void missingConfigFile_isReported() {
    Run r = cli("sim", "--config", dir.resolve("absent.toml").toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("absent.toml does not exist");
  }
}
