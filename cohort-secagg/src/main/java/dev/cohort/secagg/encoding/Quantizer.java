package dev.cohort.secagg.encoding;

/**
 * Turns float updates into integers that can be summed under secure aggregation in the ring
 * Z_2^32, and the integer sum back into the float mean.
 *
 * <p>Each coordinate is clipped to {@code [-range, range]} and mapped to
 * {@code round((x + range) * scale)} with {@code scale = (2^bits - 1) / (2 range)}, an integer in
 * {@code [0, 2^bits - 1]}. The sum of n such integers is below {@code n (2^bits - 1)}, so it never
 * wraps modulo 2^32 as long as {@code n (2^bits - 1) < 2^32}, that is
 * {@code bits <= 32 - ceil(log2(n + 1))}: {@link #maxBits(int)}. Masks added in Z_2^32 cancel
 * exactly, so the unmasked sum is the true integer sum, and {@link #decodeMean} recovers the mean of
 * the clipped updates to within {@code range / (2^bits - 1)} per coordinate (half a quantisation
 * step from each client's rounding, averaged). Immutable and thread-safe.
 */
public final class Quantizer {
  private final double range;
  private final int bits;
  private final int clients;
  private final double scale;

  /**
   * @param range the clipping range of each coordinate, > 0
   * @param bits bits per coordinate, in [1, {@link #maxBits(int) maxBits(clients)}]
   * @param clients the most clients whose encodings will be summed, >= 1
   */
  public Quantizer(double range, int bits, int clients) {
    if (!(range > 0) || Double.isInfinite(range)) {
      throw new IllegalArgumentException("range must be finite and > 0 but was " + range);
    }
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1 but was " + clients);
    }
    int max = maxBits(clients);
    if (bits < 1 || bits > max) {
      throw new IllegalArgumentException("bits must be in [1, " + max + "] so that the sum of " + clients
          + " clients cannot wrap modulo 2^32, but was " + bits);
    }
    this.range = range;
    this.bits = bits;
    this.clients = clients;
    this.scale = ((1L << bits) - 1) / (2 * range);
  }

  /** The most bits per coordinate for which the sum of {@code clients} encodings fits in 32 bits. */
  public static int maxBits(int clients) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1 but was " + clients);
    }
    int bits = 32;
    while (bits > 0 && (long) clients * ((1L << bits) - 1) >= (1L << 32)) {
      bits--;
    }
    return bits;
  }

  /** The largest error of a decoded mean coordinate: {@code range / (2^bits - 1)}. */
  public double maxError() {
    return range / ((1L << bits) - 1);
  }

  /** Encodes {@code x} (clipped to the range) as unsigned integers; NaN or infinite values are refused. */
  public int[] encode(float[] x) {
    int[] out = new int[x.length];
    double max = (1L << bits) - 1;
    for (int i = 0; i < x.length; i++) {
      float v = x[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("coordinate " + i + " is " + v + "; only finite values can be encoded");
      }
      double c = Math.max(-range, Math.min(range, v));
      out[i] = (int) (long) Math.min(max, Math.rint((c + range) * scale));
    }
    return out;
  }

  /**
   * Encodes {@code factor * x} into {@code out[0..x.length)}, as {@link #encode} does for the
   * scaled values (computed in double precision), without an intermediate array.
   */
  public void encodeScaled(float[] x, double factor, int[] out) {
    int bad = firstNonFinite(x);
    if (bad >= 0) {
      throw new IllegalArgumentException("coordinate " + bad + " is " + x[bad] + "; only finite values can be encoded");
    }
    // (c + range) * scale is in [0, 2^bits - 1]: adding one half and truncating rounds it to the
    // nearest integer (ties up, where rint would go to even) without the cost of Math.rint. The
    // loop has no branch, so the JIT vectorises it (four to five times faster than checking each
    // value in the loop); a double in [0, 2^31) converts to the same int directly as through long.
    double max = (1L << bits) - 1;
    double lo = -range;
    double hi = range;
    double s = scale;
    for (int i = 0; i < x.length; i++) {
      double c = Math.max(lo, Math.min(hi, x[i] * factor));
      out[i] = (int) Math.min(max, (c + hi) * s + 0.5);
    }
  }

  /**
   * The index of the first NaN or infinite value of {@code x}, or -1: a branch-free scan (the
   * exponent bits of a non-finite float are all ones, so adding one to the exponent field carries
   * into the sign bit) that the JIT vectorises, then a search only if one was found.
   */
  private static int firstNonFinite(float[] x) {
    int any = 0;
    for (float v : x) {
      any |= (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000;
    }
    if (any >= 0) {
      return -1;
    }
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The mean of {@code count} clients' clipped updates from the modulo-2^32 sum of their encodings
   * (masks already cancelled).
   */
  public float[] decodeMean(int[] sum, int count) {
    return decodeMean(sum, sum.length, count, 1.0);
  }

  /**
   * The first {@code length} coordinates of {@link #decodeMean(int[], int)}, each (as a float)
   * then divided by {@code divisor}, in one pass: the decoded weighted mean when {@code divisor} is
   * the mean weight.
   */
  public float[] decodeMean(int[] sum, int length, int count, double divisor) {
    if (count < 1 || count > clients) {
      throw new IllegalArgumentException("count must be in [1, " + clients + "] but was " + count);
    }
    if (length < 0 || length > sum.length) {
      throw new IllegalArgumentException("length must be in [0, " + sum.length + "] but was " + length);
    }
    float[] out = new float[length];
    double offset = count * range;
    double s = scale;
    for (int i = 0; i < length; i++) {
      double total = Integer.toUnsignedLong(sum[i]) / s - offset;
      float mean = (float) (total / count);
      out[i] = (float) (mean / divisor); // exact for divisor 1
    }
    return out;
  }

  public int bits() {
    return bits;
  }

  public double range() {
    return range;
  }
}
