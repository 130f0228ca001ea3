package dev.cohort.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
  @Test
  void outputs_lieOnTheLatticeWhateverTheInput() {
    GaussianNoise noise = new GaussianNoise(0.7, ChaCha20Random.seededForTests(2));
    double g = noise.granularity();
    assertThat(g).isEqualTo(Math.scalb(1.0, -41)); // 0.7 is in [2^-1, 2^0)
    for (double x : new double[] {0.1, 1.0 / 3, 12345.678, -0.2}) {
      double y = noise.add(x);
      assertThat(y / g).isEqualTo(Math.rint(y / g));
    }
  }

  @Test
  void noise_hasTheRequestedMeanAndVariance() {
    double sigma = 2.5;
    GaussianNoise noise = new GaussianNoise(sigma, ChaCha20Random.seededForTests(3));
    int n = 400_000;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double z = noise.add(1.0) - 1.0;
      sum += z;
      sumSq += z * z;
    }
    double mean = sum / n;
    double var = sumSq / n - mean * mean;
    // Standard error of the mean sigma/sqrt(n) = 0.004; of the variance sigma^2 sqrt(2/n) = 0.014; 5 SE.
    assertThat(mean).isBetween(-0.02, 0.02);
    assertThat(var).isBetween(sigma * sigma - 0.07, sigma * sigma + 0.07);
  }

  @Test
  void addTo_noisesEveryElementOfTheWindowOnly() {
    float[] x = new float[10];
    new GaussianNoise(1, ChaCha20Random.seededForTests(4)).addTo(x, 2, 5);
    assertThat(x[0]).isZero();
    assertThat(x[1]).isZero();
    for (int i = 2; i < 7; i++) {
      assertThat(x[i]).isNotZero();
    }
    assertThat(x[7]).isZero();
  }

  @Test
  void drawThenAddDrawn_releasesExactlyWhatAddReleases() {
    float[] x = {0.3f, -1.7f, 12.5f, 0f};
    float[] viaAdd = x.clone();
    new GaussianNoise(0.9, ChaCha20Random.seededForTests(8)).addTo(viaAdd, 0, 4);
    GaussianNoise ahead = new GaussianNoise(0.9, ChaCha20Random.seededForTests(8));
    double[] drawn = new double[4];
    ahead.draw(drawn, 0, 4);
    float[] viaDrawn = x.clone();
    ahead.addDrawn(viaDrawn, drawn, 0, 4);
    assertThat(viaDrawn).containsExactly(viaAdd);
  }

  @Test
  void drawnVectors_followTheNormalDistribution_kolmogorovSmirnov() {
    double sigma = 1.7;
    GaussianNoise noise = new GaussianNoise(sigma, AesCtrRandom.seededForTests(21));
    int n = 200_001; // odd: the last pair of a block keeps only its cosine
    double[] z = new double[n];
    noise.draw(z, 0, n);
    for (int i = 0; i < n; i++) {
      z[i] /= sigma;
    }
    java.util.Arrays.sort(z);
    double d = 0;
    for (int i = 0; i < n; i++) {
      double cdf = phi(z[i]);
      d = Math.max(d, Math.max(cdf - (double) i / n, (double) (i + 1) / n - cdf));
    }
    // The Kolmogorov-Smirnov critical value at alpha = 0.001 is 1.95 / sqrt(n).
    assertThat(d).isLessThan(1.95 / Math.sqrt(n));
    // cosines (first half of each block) and sines (second half) are both standard normal and uncorrelated
    double[] block = new double[4096];
    new GaussianNoise(1.0, AesCtrRandom.seededForTests(22)).draw(block, 0, block.length);
    double cross = 0;
    for (int p = 0; p < 2048; p++) {
      cross += block[p] * block[2048 + p];
    }
    assertThat(Math.abs(cross / 2048)).isLessThan(5 / Math.sqrt(2048));
  }

  @Test
  void drawnVectors_lieOnTheLatticeAndWithinTheTailBound() {
    GaussianNoise noise = new GaussianNoise(0.3, AesCtrRandom.seededForTests(23));
    double[] z = new double[100_000];
    noise.draw(z, 0, z.length);
    double g = noise.granularity();
    for (double v : z) {
      assertThat(v / g).isEqualTo(Math.rint(v / g));
      assertThat(Math.abs(v)).isLessThanOrEqualTo(0.3 * Math.sqrt(106 * Math.log(2)) + g);
    }
  }

  @Test
  void addTo_overManyBlocks_equalsDrawThenAddDrawn() {
    float[] x = new float[3 * 4096 + 7];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    float[] viaAdd = x.clone();
    new GaussianNoise(0.5, AesCtrRandom.seededForTests(24)).addTo(viaAdd, 0, x.length);
    GaussianNoise ahead = new GaussianNoise(0.5, AesCtrRandom.seededForTests(24));
    double[] drawn = new double[x.length];
    ahead.draw(drawn, 0, x.length);
    float[] viaDrawn = x.clone();
    ahead.addDrawn(viaDrawn, drawn, 0, x.length);
    assertThat(viaDrawn).containsExactly(viaAdd);
  }

  /** The standard normal CDF, from the complementary error function (Abramowitz and Stegun 7.1.26 is too coarse). */
  private static double phi(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  /** erfc by its continued fraction for |x| > 2 and its Taylor series of erf otherwise (relative error < 1e-13). */
  private static double erfc(double x) {
    if (x < 0) {
      return 2 - erfc(-x);
    }
    if (x < 2) {
      double sum = 0;
      double term = x;
      for (int k = 0; k < 60; k++) {
        sum += term / (2 * k + 1);
        term *= -x * x / (k + 1);
      }
      return 1 - 2 / Math.sqrt(Math.PI) * sum;
    }
    double f = 0;
    for (int k = 60; k >= 1; k--) {
      f = k / 2.0 / (x + f);
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
  }

  @Test
  void sigma_mustBePositive() {
    assertThatThrownBy(() -> new GaussianNoise(0, ChaCha20Random.secure()))
        .hasMessage("sigma must be finite and > 0 but was 0.0");
  }
}
