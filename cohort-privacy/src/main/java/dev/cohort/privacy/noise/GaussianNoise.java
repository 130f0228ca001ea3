package dev.cohort.privacy.noise;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Adds Gaussian noise of a given standard deviation to values, in a way that resists the
 * floating-point attacks on noise (Mironov, CCS 2012): the value is rounded to a lattice
 * {@code granularity * Z}, an integer multiple of the granularity drawn as
 * {@code rint(sigma * Z / granularity)} with Z standard normal from a cryptographically secure
 * generator is added exactly in double precision, and only then is the result cast to float. Every
 * output is therefore a post-processing of a value on the same lattice whatever the input, so the
 * set of possible outputs no longer reveals the input, which is what the attack exploits.
 *
 * <p>The granularity is the power of two nearest {@code sigma * 2^-40}: the lattice rounding moves
 * each input by at most half of it, which adds at most {@code granularity / 2} per coordinate to the
 * sensitivity (negligible, about 1e-12 of sigma), and the discretised normal differs from a
 * discrete Gaussian by less than the resolution of double-precision sampling. The same construction
 * (rounding to a power-of-two granularity before releasing) is what Google's differential-privacy
 * library calls secure noise generation.
 *
 * <p>Single values ({@link #add}) take Z from the generator's ziggurat; vectors ({@link #draw},
 * {@link #addTo}) from a vectorised Box-Muller transform of its words, five times faster (see
 * {@link BoxMuller} for its tail bound). Pair it with an {@link AesCtrRandom} for speed. Not
 * thread-safe (the generator is not).
 */
public final class GaussianNoise {
  private final double sigma;
  private final double granularity;
  private final RandomGenerator rng;
  /** The generator words one block of {@link BoxMuller} draws consumes, reused across draws. */
  private long[] words;

  /**
   * @param sigma the standard deviation, > 0
   * @param rng the source of randomness: a secure generator ({@link AesCtrRandom}) outside tests
   */
  public GaussianNoise(double sigma, RandomGenerator rng) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("sigma must be finite and > 0 but was " + sigma);
    }
    this.sigma = sigma;
    this.rng = Objects.requireNonNull(rng, "rng");
    this.granularity = Math.scalb(1.0, Math.getExponent(sigma) - 40);
  }

  public double sigma() {
    return sigma;
  }

  /** The lattice spacing of the outputs. */
  public double granularity() {
    return granularity;
  }

  /** {@code value} plus noise, on the lattice. */
  public double add(double value) {
    double snapped = Math.rint(value / granularity);
    double k = Math.rint(sigma * rng.nextGaussian() / granularity);
    return (snapped + k) * granularity;
  }

  /**
   * Draws noise alone into {@code out[off..off+n)}: lattice multiples {@code granularity * k}. Drawing
   * ahead of time lets noise generation overlap other work; {@link #addDrawn} then releases values.
   */
  public void draw(double[] out, int off, int n) {
    Objects.checkFromIndexSize(off, n, out.length);
    if (words == null) {
      words = BoxMuller.scratch();
    }
    BoxMuller.fill(rng, words, out, off, n, sigma / granularity, granularity);
  }

  /**
   * {@code x[i] = lattice(x[i]) + drawn[i]} for {@code i} in {@code [off, off+n)}: the same release as
   * {@link #add} with noise drawn earlier by {@link #draw} (each draw must be used once).
   */
  public void addDrawn(float[] x, double[] drawn, int off, int n) {
    Objects.checkFromIndexSize(off, n, x.length);
    Objects.checkFromIndexSize(off, n, drawn.length);
    release(x, off, drawn, off, n);
  }

  /** {@code x[xOff + j] = lattice(x[xOff + j]) + drawn[dOff + j]} for {@code j} in {@code [0, n)}. */
  private void release(float[] x, int xOff, double[] drawn, int dOff, int n) {
    for (int j = 0; j < n; j++) {
      x[xOff + j] = (float) (Math.rint(x[xOff + j] / granularity) * granularity + drawn[dOff + j]);
    }
  }

  /** Adds noise to {@code x[off..off+n)} in place: the same release as {@link #draw} then {@link #addDrawn}. */
  public void addTo(float[] x, int off, int n) {
    Objects.checkFromIndexSize(off, n, x.length);
    double[] noise = new double[Math.min(n, BoxMuller.BLOCK)];
    for (int done = 0; done < n; done += BoxMuller.BLOCK) {
      int m = Math.min(BoxMuller.BLOCK, n - done);
      draw(noise, 0, m);
      release(x, off + done, noise, 0, m);
    }
  }
}
