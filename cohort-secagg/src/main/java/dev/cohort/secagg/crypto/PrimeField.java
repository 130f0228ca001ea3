package dev.cohort.secagg.crypto;

/**
 * Arithmetic in the prime field GF(p) with p = 2<sup>61</sup> - 1, a Mersenne prime.
 *
 * <p>Why this prime: secret sharing in SecAgg (Bonawitz et al., CCS 2017, section 4) needs a field
 * with more elements than there are clients, so that every client gets a distinct non-zero
 * evaluation point, and large enough to carry the secret in a few chunks. 2<sup>61</sup>-1 admits
 * over two billion evaluation points, holds 7 secret bytes (56 bits, so also any 32-bit value) per
 * element, and keeps every element in a Java {@code long}: a product of two elements is below
 * 2<sup>122</sup>, obtained exactly with {@link Math#multiplyHigh} and reduced with shifts and
 * adds because 2<sup>61</sup> &equiv; 1 (mod p). This is several times faster than
 * {@link java.math.BigInteger} arithmetic modulo 2<sup>127</sup>-1 and allocates nothing.
 *
 * <p>Elements are represented as {@code long} values in [0, p). Methods taking elements expect
 * canonical values and do not check them (for speed); use {@link #reduce(long)} for arbitrary
 * input and {@link #isElement(long)} to validate untrusted data. Inverses use Fermat's little
 * theorem, a<sup>p-2</sup>.
 *
 * <p>Thread-safety: stateless; all methods are pure functions, safe from any thread.
 */
public final class PrimeField {

  /** The modulus, 2<sup>61</sup> - 1 = 2305843009213693951. */
  public static final long P = (1L << 61) - 1;

  private PrimeField() {}

  /** Whether {@code value} is a canonical element, in [0, p). */
  public static boolean isElement(long value) {
    return value >= 0 && value < P;
  }

  /** Reduces any {@code long}, including negative values, to its canonical residue mod p. */
  public static long reduce(long value) {
    return Math.floorMod(value, P);
  }

  /** (a + b) mod p for canonical a and b. */
  public static long add(long a, long b) {
    long s = a + b; // < 2^62, no overflow
    return s >= P ? s - P : s;
  }

  /** (a - b) mod p for canonical a and b. */
  public static long sub(long a, long b) {
    long d = a - b;
    return d < 0 ? d + P : d;
  }

  /** -a mod p for canonical a. */
  public static long neg(long a) {
    return a == 0 ? 0 : P - a;
  }

  /** (a * b) mod p for canonical a and b. */
  public static long mul(long a, long b) {
    long hi = Math.multiplyHigh(a, b); // a*b < 2^122, so hi < 2^58
    long lo = a * b;
    // a*b = hi*2^64 + lo = (8*hi + (lo >>> 61)) * 2^61 + (lo & P), and 2^61 = 1 (mod p).
    long s = (lo & P) + (lo >>> 61) + (hi << 3); // < 3 * 2^61 < 2^63
    s = (s & P) + (s >>> 61);
    return s >= P ? s - P : s;
  }

  /** a<sup>e</sup> mod p for canonical a and a non-negative exponent e (0<sup>0</sup> = 1). */
  public static long pow(long a, long e) {
    if (e < 0) {
      throw new IllegalArgumentException("exponent must be >= 0, was " + e);
    }
    long result = 1;
    long base = a;
    long k = e;
    while (k != 0) {
      if ((k & 1) != 0) {
        result = mul(result, base);
      }
      base = mul(base, base);
      k >>>= 1;
    }
    return result;
  }

  /**
   * The multiplicative inverse of a canonical non-zero a, as a<sup>p-2</sup> (Fermat).
   *
   * @throws ArithmeticException if {@code a} is 0
   */
  public static long inverse(long a) {
    if (a == 0) {
      throw new ArithmeticException("a must be non-zero to have an inverse mod 2^61-1, was 0");
    }
    return pow(a, P - 2);
  }

  /**
   * Inverts every element of {@code values} in place with one exponentiation (Montgomery's batch
   * trick: 3(k-1) multiplications plus one inverse).
   *
   * @throws ArithmeticException if any value is 0
   */
  static void inverseInPlace(long[] values) {
    int k = values.length;
    if (k == 0) {
      return;
    }
    long[] prefix = new long[k];
    long acc = 1;
    for (int i = 0; i < k; i++) {
      if (values[i] == 0) {
        throw new ArithmeticException("values[" + i + "] must be non-zero to invert, was 0");
      }
      prefix[i] = acc;
      acc = mul(acc, values[i]);
    }
    long inv = inverse(acc);
    for (int i = k - 1; i >= 0; i--) {
      long vi = values[i];
      values[i] = mul(inv, prefix[i]);
      inv = mul(inv, vi);
    }
  }
}
