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
  void encodeScaled_equalsThePerCoordinateDefinition_atTheEdgesToo() {
    // The vectorised loop must give exactly what clipping, scaling and rounding half up give one
    // coordinate at a time, including values beyond the range, at its ends and at zero.
    SplittableRandom rng = new SplittableRandom(7);
    for (int bits : new int[] {8, 22, 28, 31}) {
      double range = 0.75;
      Quantizer q = new Quantizer(range, bits, 2);
      double scale = ((1L << bits) - 1) / (2 * range);
      double max = (1L << bits) - 1;
      float[] x = new float[10_007];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (rng.nextGaussian() * (i % 3 == 0 ? 2.0 : 0.05));
      }
      x[0] = 0f;
      x[1] = -0f;
      x[2] = (float) range;
      x[3] = (float) -range;
      x[4] = Float.MAX_VALUE;
      x[5] = -Float.MAX_VALUE;
      x[6] = Float.MIN_VALUE;
      for (double factor : new double[] {1.0, 0.37, 3.0}) {
        int[] out = new int[x.length + 1];
        out[x.length] = 12345;
        q.encodeScaled(x, factor, out);
        for (int i = 0; i < x.length; i++) {
          double c = Math.max(-range, Math.min(range, x[i] * factor));
          long expected = (long) Math.min(max, (c + range) * scale + 0.5);
          assertThat(Integer.toUnsignedLong(out[i])).as("bits %d factor %s x %s", bits, factor, x[i])
              .isEqualTo(expected);
        }
        assertThat(out[x.length]).as("the words after the update are left alone").isEqualTo(12345);
      }
    }
  }

  @Test
  void encodeScaled_refusesNonFiniteValues_namingTheFirst() {
    Quantizer q = new Quantizer(1.0, 8, 2);
    float[] x = new float[1000];
    x[700] = Float.POSITIVE_INFINITY;
    x[900] = Float.NaN;
    assertThatThrownBy(() -> q.encodeScaled(x, 1.0, new int[1000]))
        .hasMessage("coordinate 700 is Infinity; only finite values can be encoded");
    x[700] = 0f;
    x[3] = Float.NEGATIVE_INFINITY;
    assertThatThrownBy(() -> q.encodeScaled(x, 1.0, new int[1000]))
        .hasMessage("coordinate 3 is -Infinity; only finite values can be encoded");
  }

  @Test
  void decodeMeanWithDivisor_equalsDecodingThenDividing() {
    Quantizer q = new Quantizer(0.5, Quantizer.maxBits(10), 10);
    SplittableRandom rng = new SplittableRandom(8);
    int[] sum = new int[5001];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = rng.nextInt();
    }
    float[] plain = q.decodeMean(sum, 7);
    float[] divided = q.decodeMean(sum, 5000, 7, 0.8125);
    assertThat(divided).hasSize(5000);
    for (int i = 0; i < 5000; i++) {
      assertThat(divided[i]).isEqualTo((float) (plain[i] / 0.8125));
    }
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
