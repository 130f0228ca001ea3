package dev.cohort.privacy.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.ClientId;
import dev.cohort.core.aggregate.Accumulator;
import dev.cohort.core.aggregate.AggregationProcess;
import dev.cohort.core.aggregate.AggregationStep;
import dev.cohort.core.aggregate.Contribution;
import dev.cohort.privacy.noise.ChaCha20Random;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import org.junit.jupiter.api.Test;

class DpMeanFactoryTest {
  private static final ParameterLayout LAYOUT = ParameterLayout.builder().add("w", Shape.of(20_000)).build();

  private static ParameterSet filled(float v) {
    ParameterSet p = ParameterSet.zeros(LAYOUT);
    java.util.Arrays.fill(p.data(), v);
    return p;
  }

  private static AggregationStep round(DpMeanFactory f, AggregationProcess p, ParameterSet... updates) {
    Accumulator acc = p.begin(p.initialState());
    for (int i = 0; i < updates.length; i++) {
      acc.add(new Contribution(ClientId.of("c" + i), updates[i], 100 + i)); // weights are ignored
    }
    return acc.finish();
  }

  /* --- clipping and the fixed denominator --- */

  @Test
  void finish_clipsEachUpdateAndDividesByExpectedClients() {
    // Huge noise multiplier would hide the signal; use a tiny one so the mean is visible.
    DpMeanFactory f = new DpMeanFactory(1e-6, new ClipSettings.Fixed(1.0), 4, () -> ChaCha20Random.seededForTests(1));
    AggregationProcess p = f.create(LAYOUT);
    float big = (float) (10.0 / Math.sqrt(LAYOUT.totalSize())); // norm 10: clipped to norm 1
    float small = (float) (0.5 / Math.sqrt(LAYOUT.totalSize())); // norm 0.5: kept
    AggregationStep s = round(f, p, filled(big), filled(small));
    double expected = (big / 10.0 + small) / 4; // clipped big + small, over 4 expected clients
    assertThat((double) s.result().data()[0]).isCloseTo(expected, within(1e-6));
    assertThat(s.measurements().get("dp.clip_norm")).isEqualTo(1.0);
  }

  @Test
  void finish_addsNoiseWithStddevMultiplierTimesClipOverExpectedClients() {
    DpMeanFactory f = new DpMeanFactory(1.5, new ClipSettings.Fixed(2.0), 10, () -> ChaCha20Random.seededForTests(2));
    AggregationStep s = round(f, f.create(LAYOUT), ParameterSet.zeros(LAYOUT));
    float[] r = s.result().data();
    double sumSq = 0;
    for (float v : r) {
      sumSq += v * v;
    }
    double std = Math.sqrt(sumSq / r.length);
    double expected = 1.5 * 2.0 / 10;
    assertThat(std).isCloseTo(expected, within(expected * 0.03)); // 20k samples: SE of std about 0.5%
  }

  /* --- adaptive clipping (Andrew et al. 2021) --- */

  @Test
  void updateNoiseMultiplier_followsAndrewEtAlTheorem1() {
    // z = 1, sigma_b = 2: z_update = (1 - 1/16)^(-1/2) = 1.0327955...
    assertThat(DpMeanFactory.updateNoiseMultiplier(1.0, 2.0)).isCloseTo(1.0327955589886444, within(1e-12));
    assertThatThrownBy(() -> DpMeanFactory.updateNoiseMultiplier(1.0, 0.5))
        .hasMessageContaining("must be < 2 * stddev");
  }

  @Test
  void adaptiveNorm_movesGeometricallyTowardTheTargetQuantile() {
    // All updates far below the norm: b = 1 (noise negligible), so C <- C * exp(-0.2 * (1 - 0.5)).
    ClipSettings.Adaptive a = new ClipSettings.Adaptive(1.0, 0.5, 0.2, 1e-9);
    DpMeanFactory f = new DpMeanFactory(1e-10, a, 3, () -> ChaCha20Random.seededForTests(3));
    AggregationProcess p = f.create(LAYOUT);
    AggregationStep s = round(f, p, filled(0), filled(0), filled(0));
    assertThat(((DpMeanFactory.ClipState) s.state()).norm()).isCloseTo(Math.exp(-0.1), within(1e-9));
    // All updates far above: b = 0, so C grows by exp(0.2 * 0.5).
    float huge = 1f;
    Accumulator acc = p.begin(s.state());
    for (int i = 0; i < 3; i++) {
      acc.add(new Contribution(ClientId.of("c" + i), filled(huge), 1));
    }
    AggregationStep s2 = acc.finish();
    assertThat(((DpMeanFactory.ClipState) s2.state()).norm()).isCloseTo(Math.exp(-0.1) * Math.exp(0.1), within(1e-9));
  }

  @Test
  void constructor_rejectsNonPositiveNoise() {
    assertThatThrownBy(() -> new DpMeanFactory(0, new ClipSettings.Fixed(1), 1, ChaCha20Random::secure))
        .hasMessage("noise multiplier must be finite and > 0 but was 0.0");
  }
}
