package dev.cohort.secagg.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Shamir's t-of-n secret sharing (Shamir, "How to share a secret", CACM 1979) of byte strings over
 * {@link PrimeField} GF(2<sup>61</sup>-1), as used by SecAgg (Bonawitz et al., CCS 2017) and
 * SecAgg+ (Bell et al., CCS 2020) to share each client's self-mask seed and masking key.
 *
 * <p>The secret is cut into big-endian chunks of {@value #CHUNK_BYTES} bytes (the last chunk may
 * be shorter); each chunk is the constant term of its own random polynomial of degree t-1 whose
 * other coefficients are uniform in the field. Share i (i = 1..n) holds the evaluations of all
 * chunk polynomials at x = i. Any t shares determine the polynomials by Lagrange interpolation;
 * any t-1 shares are jointly uniform whatever the secret, so they reveal nothing about it. Unlike
 * GF(256) sharing, the number of shares is not limited to 255.
 *
 * <p>Reconstruction from exactly t shares cannot tell shares of different secrets apart (that is
 * the privacy property). Given more than t shares, {@link #reconstruct} interpolates through the
 * first t and checks that every further share lies on the same polynomials, so mixed or corrupted
 * shares are detected.
 *
 * <p>Costs: splitting is n &middot; t multiplications per chunk; reconstruction is O(t<sup>2</sup>)
 * field operations for the Lagrange weights plus O(t) per chunk and per extra share.
 *
 * <p>Thread-safety: stateless; safe from any thread if the supplied {@link SecureRandom} is (the
 * JDK's are).
 */
public final class Shamir {

  /** Secret bytes carried by one field element (56 bits &lt; 61). */
  public static final int CHUNK_BYTES = 7;

  private Shamir() {}

  /**
   * One share: the evaluation point {@code index} (1..n) and one field element per secret chunk,
   * with the public parameters needed to reconstruct (threshold and secret length).
   *
   * <p>Immutable: the values are copied on construction and on access.
   *
   * @param index the evaluation point x, at least 1
   * @param threshold the number of shares needed to reconstruct, at least 1
   * @param secretLength the secret's length in bytes, at least 1
   * @param values the chunk polynomials evaluated at {@code index}, each in [0, 2<sup>61</sup>-1),
   *     {@code ceil(secretLength / 7)} of them
   */
  public record Share(int index, int threshold, int secretLength, long[] values) {

    /** Validates and defensively copies. */
    public Share {
      if (index < 1) {
        throw new IllegalArgumentException("index must be >= 1, was " + index);
      }
      if (threshold < 1) {
        throw new IllegalArgumentException("threshold must be >= 1, was " + threshold);
      }
      if (secretLength < 1) {
        throw new IllegalArgumentException("secretLength must be >= 1, was " + secretLength);
      }
      Objects.requireNonNull(values, "values");
      if (values.length != chunkCount(secretLength)) {
        throw new IllegalArgumentException("values.length must be " + chunkCount(secretLength)
            + " for secretLength " + secretLength + ", was " + values.length);
      }
      values = values.clone();
      for (int c = 0; c < values.length; c++) {
        if (!PrimeField.isElement(values[c])) {
          throw new IllegalArgumentException(
              "values[" + c + "] must be in [0, 2^61-1), was " + values[c]);
        }
      }
    }

    /** A copy of the share's field elements. */
    @Override
    public long[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Share s && s.index == index && s.threshold == threshold
          && s.secretLength == secretLength && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
      return Objects.hash(index, threshold, secretLength) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      // Never print share values: any t of them reveal the secret.
      return "Share[index=" + index + ", threshold=" + threshold + ", secretLength="
          + secretLength + "]";
    }
  }

  /**
   * Splits {@code secret} into {@code n} shares, any {@code threshold} of which reconstruct it.
   *
   * @param secret the secret bytes, at least one
   * @param n the number of shares, at least {@code threshold}; share i is evaluated at x = i
   * @param threshold t, in [1, n]
   * @param random the source of the polynomial coefficients
   * @return shares with indices 1..n, in that order
   */
  public static List<Share> split(byte[] secret, int n, int threshold, SecureRandom random) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(random, "random");
    if (secret.length < 1) {
      throw new IllegalArgumentException("secret.length must be >= 1, was 0");
    }
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be >= 1, was " + threshold);
    }
    if (n < threshold) {
      throw new IllegalArgumentException(
          "n must be >= threshold (" + threshold + "), was " + n);
    }
    int chunks = chunkCount(secret.length);
    // coefficients[c][k] is the coefficient of x^k of chunk c's polynomial.
    long[][] coefficients = new long[chunks][threshold];
    for (int c = 0; c < chunks; c++) {
      coefficients[c][0] = decodeChunk(secret, c);
      for (int k = 1; k < threshold; k++) {
        coefficients[c][k] = uniformElement(random);
      }
    }
    List<Share> shares = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      long[] values = new long[chunks];
      for (int c = 0; c < chunks; c++) {
        values[c] = evaluate(coefficients[c], i);
      }
      shares.add(new Share(i, threshold, secret.length, values));
    }
    for (long[] row : coefficients) {
      Arrays.fill(row, 0);
    }
    return shares;
  }

  /**
   * Reconstructs the secret from at least {@code threshold} shares of it, in any order.
   *
   * <p>The first t shares are interpolated at 0; any further shares are checked against the
   * interpolated polynomials.
   *
   * @throws IllegalArgumentException if the collection is empty or holds nulls, the shares
   *     disagree on threshold or secret length, two shares have the same index, fewer than
   *     threshold shares are given, or the shares are not consistent with one secret
   */
  public static byte[] reconstruct(Collection<Share> shares) {
    Objects.requireNonNull(shares, "shares");
    if (shares.isEmpty()) {
      throw new IllegalArgumentException("shares must not be empty");
    }
    List<Share> list = new ArrayList<>(shares.size());
    for (Share s : shares) {
      list.add(Objects.requireNonNull(s, "shares must not contain null"));
    }
    Share first = list.getFirst();
    int t = first.threshold();
    int length = first.secretLength();
    Set<Integer> seen = new HashSet<>();
    for (Share s : list) {
      if (s.threshold() != t) {
        throw new IllegalArgumentException("shares disagree on threshold: share " + s.index()
            + " has " + s.threshold() + ", share " + first.index() + " has " + t
            + " (shares of different secrets?)");
      }
      if (s.secretLength() != length) {
        throw new IllegalArgumentException("shares disagree on secretLength: share " + s.index()
            + " has " + s.secretLength() + ", share " + first.index() + " has " + length
            + " (shares of different secrets?)");
      }
      if (!seen.add(s.index())) {
        throw new IllegalArgumentException("duplicate share index " + s.index());
      }
    }
    if (list.size() < t) {
      throw new IllegalArgumentException(
          "too few shares: need threshold " + t + ", got " + list.size());
    }
    int chunks = chunkCount(length);
    long[] xs = new long[t];
    for (int i = 0; i < t; i++) {
      xs[i] = list.get(i).index();
    }
    long[] weights = barycentricWeights(xs);
    long[][] ys = new long[t][];
    for (int i = 0; i < t; i++) {
      ys[i] = list.get(i).values;
    }

    long[] secretValues = interpolate(xs, weights, ys, chunks, 0);
    for (int k = t; k < list.size(); k++) {
      Share extra = list.get(k);
      long[] expected = interpolate(xs, weights, ys, chunks, extra.index());
      if (!Arrays.equals(expected, extra.values)) {
        throw new IllegalArgumentException("shares are inconsistent: share " + extra.index()
            + " does not lie on the polynomial through the first " + t
            + " shares (shares of different secrets, or corrupted)");
      }
    }
    byte[] secret = new byte[length];
    for (int c = 0; c < chunks; c++) {
      encodeChunk(secretValues[c], secret, c);
    }
    return secret;
  }

  /** The number of field elements carrying a secret of {@code secretLength} bytes. */
  public static int chunkCount(int secretLength) {
    return (secretLength + CHUNK_BYTES - 1) / CHUNK_BYTES;
  }

  /** Horner evaluation of the polynomial with {@code coefficients} (lowest degree first) at x. */
  static long evaluate(long[] coefficients, long x) {
    long acc = 0;
    for (int k = coefficients.length - 1; k >= 0; k--) {
      acc = PrimeField.add(PrimeField.mul(acc, x), coefficients[k]);
    }
    return acc;
  }

  /** w_i = 1 / prod_{j != i} (x_i - x_j), for distinct points. */
  private static long[] barycentricWeights(long[] xs) {
    int t = xs.length;
    long[] w = new long[t];
    for (int i = 0; i < t; i++) {
      long d = 1;
      long xi = xs[i];
      for (int j = 0; j < t; j++) {
        if (j != i) {
          d = PrimeField.mul(d, PrimeField.sub(xi, xs[j]));
        }
      }
      w[i] = d;
    }
    PrimeField.inverseInPlace(w);
    return w;
  }

  /**
   * Evaluates at z (not one of xs) the polynomials through (xs[i], ys[i][c]), using
   * f(z) = l(z) &middot; sum_i w_i / (z - x_i) &middot; y_i with l(z) = prod_j (z - x_j).
   */
  private static long[] interpolate(long[] xs, long[] weights, long[][] ys, int chunks, long z) {
    int t = xs.length;
    long[] diff = new long[t];
    long l = 1;
    for (int i = 0; i < t; i++) {
      diff[i] = PrimeField.sub(z, xs[i]);
      l = PrimeField.mul(l, diff[i]);
    }
    PrimeField.inverseInPlace(diff);
    long[] out = new long[chunks];
    for (int i = 0; i < t; i++) {
      long coefficient = PrimeField.mul(l, PrimeField.mul(weights[i], diff[i]));
      long[] y = ys[i];
      for (int c = 0; c < chunks; c++) {
        out[c] = PrimeField.add(out[c], PrimeField.mul(coefficient, y[c]));
      }
    }
    return out;
  }

  /** Uniform in [0, p) by rejection from 61 random bits (rejects only the value p itself). */
  private static long uniformElement(SecureRandom random) {
    while (true) {
      long v = random.nextLong() >>> 3;
      if (v < PrimeField.P) {
        return v;
      }
    }
  }

  private static long decodeChunk(byte[] secret, int chunk) {
    int from = chunk * CHUNK_BYTES;
    int to = Math.min(secret.length, from + CHUNK_BYTES);
    long v = 0;
    for (int b = from; b < to; b++) {
      v = (v << 8) | (secret[b] & 0xFF);
    }
    return v;
  }

  private static void encodeChunk(long value, byte[] secret, int chunk) {
    int from = chunk * CHUNK_BYTES;
    int to = Math.min(secret.length, from + CHUNK_BYTES);
    int bits = 8 * (to - from);
    if ((value >>> bits) != 0) {
      throw new IllegalArgumentException("shares are inconsistent: chunk " + chunk
          + " reconstructs to a value wider than " + bits + " bits (shares of different"
          + " secrets, or corrupted)");
    }
    for (int b = to - 1; b >= from; b--) {
      secret[b] = (byte) value;
      value >>>= 8;
    }
  }
}
