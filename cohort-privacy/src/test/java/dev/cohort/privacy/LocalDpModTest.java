package dev.cohort.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.client.ClientApp;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.privacy.local.LocalDpMod;
import dev.cohort.privacy.noise.ChaCha20Random;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalDpModTest {
  private static final ParameterLayout LAYOUT = ParameterLayout.builder().add("w", Shape.of(40_000)).build();

  /** A client whose update is a constant vector of L2 norm 5. */
  private static final class ConstantClient implements ClientApp {
    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
      ParameterSet u = ParameterSet.zeros(LAYOUT);
      Arrays.fill(u.data(), (float) (5 / Math.sqrt(LAYOUT.totalSize())));
      return new FitResult(u, 7, MetricRecord.of("loss", 0.5));
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
      return new EvaluateResult(0, 1, MetricRecord.empty());
    }
  }

  @Test
  void update_isClippedAndNoisedBeforeItLeavesTheClient() {
    ClientRuntime runtime = new ClientRuntime(new ConstantClient(),
        List.of(new LocalDpMod(1.0, 0.5, () -> ChaCha20Random.seededForTests(9))));
    Message request = Message.request("run", 1, ClientId.of("a"),
        new FitInstruction(ParameterSet.zeros(LAYOUT), ConfigRecord.empty()));
    FitResult fit = (FitResult) runtime.handle(request, new ClientContext(ClientId.of("a"), "run", 1)).payload();

    float[] u = fit.update().data();
    double clippedValue = 1.0 / Math.sqrt(LAYOUT.totalSize());
    double mean = 0;
    double sq = 0;
    for (float v : u) {
      mean += v;
    }
    mean /= u.length;
    for (float v : u) {
      sq += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(sq / u.length);
    assertThat(mean).isCloseTo(clippedValue, within(5 * 0.5 / Math.sqrt(u.length)));
    assertThat(std).isCloseTo(0.5, within(0.5 * 0.03));
    assertThat(fit.examples()).isEqualTo(7);
    assertThat(fit.metrics().get("loss")).isEqualTo(0.5);
  }
}
