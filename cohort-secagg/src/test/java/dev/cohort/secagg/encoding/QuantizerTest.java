package dev.cohort.secagg.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.secagg.crypto.MaskStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantizerTest {
  @Test
  void maxBits_keepsTheSumOfAllClientsBelowTwoToThe32() {
    assertThat(Quantizer.maxBits(1)).isEqualTo(32); // 2^32 - 1 < 2^32
    assertThat(Quantizer.maxBits(2)).isEqualTo(31); // 2 (2^31 - 1) = 2^32 - 2 < 2^32
    assertThat(Quantizer.maxBits(3)).isEqualTo(30);
    assertThat(Quantizer.maxBits(1000)).isEqualTo(22); // 1000 (2^22 - 1) < 2^32 <= 1000 (2^23 - 1)
    for (int n : new int[] {2, 7, 100, 1000, 65_537}) {
      long b = Quantizer.maxBits(n);
      assertThat((long) n * ((1L << b) - 1)).isLessThan(1L << 32);
      assertThat((long) n * ((1L << (b + 1)) - 1)).isGreaterThanOrEqualTo(1L << 32);
    }
  }

  @Test
  void maskedSumOfEncodings_decodesToTheMeanWithinTheBound() {
    int n = 50;
    int d = 1000;
    Quantizer q = new Quantizer(0.5, Quantizer.maxBits(n), n);
    SplittableRandom rng = new SplittableRandom(1);
    float[][] updates = new float[n][d];
    int[] sum = new int[d];
    double[] mean = new double[d];
    byte[][] seeds = new byte[n][32];
    for (int c = 0; c < n; c++) {
      rng.nextBytes(seeds[c]);
    }
    for (int c = 0; c < n; c++) {
      for (int i = 0; i < d; i++) {
        updates[c][i] = (float) Math.max(-0.5, Math.min(0.5, rng.nextGaussian() * 0.2));
        mean[i] += updates[c][i] / n;
      }
      int[] masked = q.encode(updates[c]);
      // Pairwise masks: client c adds the mask shared with c+1 and subtracts the one shared with c-1.
      MaskStream.addMask(masked, seeds[c], 1);
      MaskStream.addMask(masked, seeds[(c + n - 1) % n], -1);
      for (int i = 0; i < d; i++) {
        sum[i] += masked[i];
      }
    }
    float[] decoded = q.decodeMean(sum, n);
    for (int i = 0; i < d; i++) {
      assertThat((double) decoded[i]).isCloseTo(mean[i], within(q.maxError() + 1e-6));
    }
  }

  @Test
  void encode_clipsToTheRange() {
    Quantizer q = new Quantizer(1.0, 8, 1);
    float[] back = q.decodeMean(q.encode(new float[] {-5f, 5f, 0f}), 1);
    assertThat((double) back[0]).isCloseTo(-1.0, within(q.maxError() + 1e-6));
    assertThat((double) back[1]).isCloseTo(1.0, within(q.maxError() + 1e-6));
    assertThat((double) back[2]).isCloseTo(0.0, within(q.maxError() + 1e-6));
  }

  @Test
  void badInputs_areNamed() {
    assertThatThrownBy(() -> new Quantizer(1.0, 23, 1000))
        .hasMessageContaining("bits must be in [1, 22]").hasMessageContaining("cannot wrap");
    assertThatThrownBy(() -> new Quantizer(1.0, 8, 2).encode(new float[] {0f, Float.NaN}))
        .hasMessage("coordinate 1 is NaN; only finite values can be encoded");
    assertThatThrownBy(() -> new Quantizer(1.0, 8, 2).decodeMean(new int[1], 3))
        .hasMessage("count must be in [1, 2] but was 3");
  }
}
