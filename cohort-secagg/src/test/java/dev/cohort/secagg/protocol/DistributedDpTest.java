package dev.cohort.secagg.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.ClientId;
import dev.cohort.core.round.FitReport;
import dev.cohort.privacy.noise.ChaCha20Random;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Distributed discrete Gaussian noise under secure aggregation (Kairouz, Liu and Steinke, ICML 2021). */
class DistributedDpTest {

  @Test
  void securelyAggregatedSumCarriesTheTargetNoise() throws Exception {
    int n = 12;
    int d = 4000;
    double clip = 0.5;
    double z = 1.0;
    SecAggHarness h = new SecAggHarness(n, d, 9);
    SecAggSettings s = SecAggSettings.defaults().withDistributedDp(new SecAggSettings.DistributedNoise(clip, z));
    SecureFitProtocol protocol = new SecureFitProtocol(s);
    FitReport report = h.run(protocol, List.of(new SecAggMod()), 1);

    assertThat(report.abort()).isEmpty();
    int t = s.threshold().resolve(n);
    EncodingSpec.DistributedDp spec = (EncodingSpec.DistributedDp) protocol.encodingFor(n, t, d);
    // Updates have norms near 0.1 sqrt(d / 3) = 3.7, so every one is clipped to 0.5.
    List<ClientId> all = new ArrayList<>(h.updates.keySet());
    float[] clippedMean = new float[d];
    for (ClientId c : all) {
      float[] u = h.updates.get(c);
      double norm = 0;
      for (float v : u) {
        norm += (double) v * v;
      }
      double scale = Math.min(1, clip / Math.sqrt(norm));
      for (int j = 0; j < d; j++) {
        clippedMean[j] += (float) (u[j] * scale / n);
      }
    }
    float[] got = h.added.get(0).update().data();
    double sq = 0;
    for (int j = 0; j < d; j++) {
      double e = got[j] - clippedMean[j];
      sq += e * e;
    }
    double observedStd = Math.sqrt(sq / d);
    double expectedStd = Math.sqrt(n) * spec.noiseSteps() * spec.gamma() / n;
    assertThat(observedStd / expectedStd).isCloseTo(1.0, within(0.05));
    // The noise is what a Gaussian mechanism with multiplier z on the threshold's worth of clients adds.
    double sensitivity = EncodingSpec.DistributedDp.sensitivitySteps(clip, spec.gamma(), d) * spec.gamma();
    assertThat(spec.noiseSteps() * spec.gamma() * Math.sqrt(t) / sensitivity).isCloseTo(z, within(1e-6));
    assertThat(report.measurements().get("secagg.noise_multiplier")).isGreaterThanOrEqualTo(z * 0.999);
  }

  @Test
  void encodingNeverExceedsItsNormBound_andClipsLargeUpdates() {
    EncodingSpec.DistributedDp spec = EncodingSpec.DistributedDp.forNoiseMultiplier(1.0, 1.0, 100, 51, 1000);
    float[] huge = new float[1000];
    java.util.Arrays.fill(huge, 10f);
    EncodingSpec.DistributedDp noiseless = new EncodingSpec.DistributedDp(1.0, spec.gamma(), 0.5, 100);
    int[] encoded = noiseless.encode(huge, 1, ChaCha20Random.seededForTests(1));
    double norm = 0;
    for (int v : encoded) {
      norm += (double) v * v;
    }
    // Within the conditional-rounding bound plus the tiny noise of scale 0.5 per coordinate.
    assertThat(Math.sqrt(norm)).isLessThan(
        EncodingSpec.DistributedDp.sensitivitySteps(1.0, spec.gamma(), 1000) + 0.5 * Math.sqrt(1000) * 6);
  }

  @Test
  void settingsThatCouldWrapTheModularSum_areRefused() {
    assertThatThrownBy(() -> new EncodingSpec.DistributedDp(1.0, 1e-9, 1.0, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrap modulo 2^32");
  }

  @Test
  void effectiveNoiseMultiplierIncludesTheTauTerm_forTinyScales() {
    EncodingSpec.DistributedDp small = new EncodingSpec.DistributedDp(1.0, 0.5, 0.5, 10);
    // sigma = 0.5 steps makes tau non-negligible: the effective multiplier is below Delta-only's.
    double deltaOnly = 0.5 * Math.sqrt(10) / EncodingSpec.DistributedDp.sensitivitySteps(1.0, 0.5, 100);
    assertThat(small.effectiveNoiseMultiplier(10, 100)).isLessThan(deltaOnly);
  }
}
