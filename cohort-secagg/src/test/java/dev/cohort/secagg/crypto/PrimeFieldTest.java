package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PrimeFieldTest {

  private static final BigInteger BP = BigInteger.valueOf(PrimeField.P);

  @Test
  void modulus_isTheMersennePrime2To61Minus1() {
    // M61 = 2^61 - 1 = 2305843009213693951 is prime (Pervushin, 1883).
    assertThat(PrimeField.P).isEqualTo(2305843009213693951L);
    assertThat(BP.isProbablePrime(100)).isTrue();
  }

  @Test
  void pow_twoTo61_isOne() {
    // 2^61 = (2^61 - 1) + 1, so 2^61 = 1 (mod p); hence 2^60 is the inverse of 2.
    assertThat(PrimeField.pow(2, 61)).isEqualTo(1);
    assertThat(PrimeField.pow(2, 122)).isEqualTo(1);
    assertThat(PrimeField.mul(1L << 60, 2)).isEqualTo(1);
    assertThat(PrimeField.inverse(2)).isEqualTo(1L << 60);
  }

  @Test
  void knownValues_edgeElements() {
    long minusOne = PrimeField.P - 1;
    assertThat(PrimeField.mul(minusOne, minusOne)).isEqualTo(1);
    assertThat(PrimeField.inverse(minusOne)).isEqualTo(minusOne);
    assertThat(PrimeField.add(minusOne, 1)).isZero();
    assertThat(PrimeField.sub(0, 1)).isEqualTo(minusOne);
    assertThat(PrimeField.neg(0)).isZero();
    assertThat(PrimeField.neg(5)).isEqualTo(PrimeField.P - 5);
    assertThat(PrimeField.reduce(-1)).isEqualTo(minusOne);
    assertThat(PrimeField.reduce(Long.MAX_VALUE))
        .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).mod(BP).longValueExact());
    assertThat(PrimeField.reduce(Long.MIN_VALUE))
        .isEqualTo(BigInteger.valueOf(Long.MIN_VALUE).mod(BP).longValueExact());
    // Fermat: a^(p-1) = 1 for a != 0.
    assertThat(PrimeField.pow(123456789, PrimeField.P - 1)).isEqualTo(1);
    assertThat(PrimeField.pow(0, 0)).isEqualTo(1);
  }

  @Test
  void operations_randomElements_matchBigInteger() {
    SecureRandom random = TestRandoms.seeded(1);
    for (int i = 0; i < 20_000; i++) {
      long a = element(random, i);
      long b = element(random, i + 1);
      BigInteger ba = BigInteger.valueOf(a);
      BigInteger bb = BigInteger.valueOf(b);
      assertThat(PrimeField.add(a, b)).isEqualTo(ba.add(bb).mod(BP).longValueExact());
      assertThat(PrimeField.sub(a, b)).isEqualTo(ba.subtract(bb).mod(BP).longValueExact());
      assertThat(PrimeField.mul(a, b)).isEqualTo(ba.multiply(bb).mod(BP).longValueExact());
      if (a != 0) {
        assertThat(PrimeField.inverse(a)).isEqualTo(ba.modInverse(BP).longValueExact());
      }
      if (i % 100 == 0) {
        long e = random.nextLong() >>> 1;
        assertThat(PrimeField.pow(a, e)).isEqualTo(ba.modPow(BigInteger.valueOf(e), BP)
            .longValueExact());
      }
    }
  }

  @Test
  void inverseInPlace_matchesSingleInverses() {
    SecureRandom random = TestRandoms.seeded(2);
    long[] values = new long[257];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1 + (random.nextLong() >>> 3) % (PrimeField.P - 1);
    }
    long[] inverted = values.clone();
    PrimeField.inverseInPlace(inverted);
    for (int i = 0; i < values.length; i++) {
      assertThat(inverted[i]).isEqualTo(PrimeField.inverse(values[i]));
    }
  }

  @Test
  void inverse_zero_rejected() {
    assertThatThrownBy(() -> PrimeField.inverse(0)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("a must be non-zero");
    assertThatThrownBy(() -> PrimeField.pow(3, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -1");
  }

  @Test
  void isElement_bounds() {
    assertThat(PrimeField.isElement(0)).isTrue();
    assertThat(PrimeField.isElement(PrimeField.P - 1)).isTrue();
    assertThat(PrimeField.isElement(PrimeField.P)).isFalse();
    assertThat(PrimeField.isElement(-1)).isFalse();
  }

  /** Mostly uniform elements, with the extremes mixed in to exercise carries. */
  private static long element(SecureRandom random, int i) {
    return switch (i % 17) {
      case 0 -> 0;
      case 1 -> PrimeField.P - 1;
      case 2 -> PrimeField.P - 1 - (random.nextInt() & 0xFFFF);
      default -> PrimeField.reduce(random.nextLong() >>> 3);
    };
  }
}
