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
  void sigma_mustBePositive() {
    assertThatThrownBy(() -> new GaussianNoise(0, ChaCha20Random.secure()))
        .hasMessage("sigma must be finite and > 0 but was 0.0");
  }
}
