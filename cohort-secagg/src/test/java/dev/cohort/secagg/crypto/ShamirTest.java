package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.secagg.crypto.Shamir.Share;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShamirTest {

  private static final BigInteger BP = BigInteger.valueOf(PrimeField.P);

  @Test
  void split_anyThresholdShares_reconstruct() {
    SecureRandom random = TestRandoms.seeded(10);
    int[][] cases = {{5, 1}, {5, 3}, {5, 5}, {17, 2}, {17, 9}, {64, 33}, {300, 1}, {300, 151},
        {300, 299}, {300, 300}};
    for (int[] c : cases) {
      int n = c[0];
      int t = c[1];
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      List<Share> shares = Shamir.split(secret, n, t, random);
      assertThat(shares).hasSize(n);
      assertThat(shares).extracting(Share::index).containsExactlyElementsOf(
          java.util.stream.IntStream.rangeClosed(1, n).boxed().toList());
      for (int trial = 0; trial < 5; trial++) {
        List<Share> subset = new ArrayList<>(shares);
        Collections.shuffle(subset, random);
        assertThat(Shamir.reconstruct(subset.subList(0, t)))
            .as("n=%d t=%d trial %d", n, t, trial).isEqualTo(secret);
      }
    }
  }

  @Test
  void reconstruct_moreThanThresholdShares_reconstructAndAreChecked() {
    SecureRandom random = TestRandoms.seeded(11);
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    List<Share> shares = new ArrayList<>(Shamir.split(secret, 40, 13, random));
    Collections.shuffle(shares, random);
    assertThat(Shamir.reconstruct(shares.subList(0, 27))).isEqualTo(secret);
    assertThat(Shamir.reconstruct(shares)).isEqualTo(secret);
  }

  @Test
  void split_secretLengths_roundTrip() {
    SecureRandom random = TestRandoms.seeded(12);
    for (int length : new int[] {1, 6, 7, 8, 13, 14, 15, 32, 33, 100}) {
      byte[] secret = new byte[length];
      random.nextBytes(secret);
      secret[0] = (byte) 0xFF; // top bits set exercise the chunk encoding
      List<Share> shares = Shamir.split(secret, 7, 4, random);
      assertThat(shares.getFirst().values()).hasSize(Shamir.chunkCount(length));
      assertThat(Shamir.reconstruct(shares.subList(3, 7))).as("length %d", length)
          .isEqualTo(secret);
    }
  }

  @Test
  void split_tenThousandShares_reconstruct() {
    SecureRandom random = TestRandoms.seeded(13);
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    int n = 10_000;
    int t = 5_001;
    List<Share> shares = new ArrayList<>(Shamir.split(secret, n, t, random));
    Collections.shuffle(shares, random);
    assertThat(Shamir.reconstruct(shares.subList(0, t))).isEqualTo(secret);
    assertThat(Shamir.reconstruct(shares.subList(0, t + 50))).isEqualTo(secret);
  }

  @Test
  void reconstruct_knownVector_handWorked() {
    // The textbook example (Wikipedia, "Shamir's secret sharing"): secret 1234, t = 3,
    // f(x) = 1234 + 166x + 94x^2, so f(1..6) = 1494, 1942, 2578, 3402, 4414, 5614. The values
    // never reach 2^61 - 1, so the field computation equals the integer one.
    // Lagrange at 0 from x = 2, 4, 5:
    //   l2(0) = (0-4)(0-5) / ((2-4)(2-5)) = 20/6 = 10/3
    //   l4(0) = (0-2)(0-5) / ((4-2)(4-5)) = 10/-2 = -5
    //   l5(0) = (0-2)(0-4) / ((5-2)(5-4)) = 8/3
    //   f(0) = (10/3)*1942 - 5*3402 + (8/3)*4414 = (19420 + 35312)/3 - 17010 = 18244 - 17010
    //        = 1234.
    // 1234 = 0x04D2: a 2-byte secret {0x04, 0xD2} is one chunk with value 1234.
    long[] f = {1234, 166, 94};
    long[] expected = {1494, 1942, 2578, 3402, 4414, 5614};
    for (int x = 1; x <= 6; x++) {
      assertThat(Shamir.evaluate(f, x)).isEqualTo(expected[x - 1]);
    }
    List<Share> shares = List.of(new Share(2, 3, 2, new long[] {1942}),
        new Share(4, 3, 2, new long[] {3402}), new Share(5, 3, 2, new long[] {4414}));
    assertThat(Shamir.reconstruct(shares)).containsExactly(0x04, 0xD2);
    // With a fourth share the extra point is checked against the interpolated polynomial.
    List<Share> four = new ArrayList<>(shares);
    four.add(new Share(6, 3, 2, new long[] {5614}));
    assertThat(Shamir.reconstruct(four)).containsExactly(0x04, 0xD2);
    four.set(3, new Share(6, 3, 2, new long[] {5615}));
    assertThatThrownBy(() -> Shamir.reconstruct(four))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share 6 does not lie on the polynomial");
  }

  @Test
  void thresholdMinusOneShares_everySecretHasExactlyOneCompletion() {
    // Perfect secrecy by construction: for any t-1 shares and ANY candidate secret s', the t
    // points (0, s'), (x_1, y_1), ..., (x_{t-1}, y_{t-1}) determine exactly one polynomial of
    // degree < t. The t-1 shares are therefore consistent with every secret, each by the same
    // number (one) of coefficient vectors, and as the coefficients are uniform the shares say
    // nothing about the secret. Shown by building the completing share with an independent
    // BigInteger Lagrange evaluation and reconstructing s' from it.
    SecureRandom random = TestRandoms.seeded(14);
    int n = 9;
    int t = 5;
    byte[] secret = new byte[14];
    random.nextBytes(secret);
    List<Share> shares = new ArrayList<>(Shamir.split(secret, n, t, random));
    Collections.shuffle(shares, random);
    List<Share> known = shares.subList(0, t - 1);
    int extraIndex = n + 1;
    for (int candidate = 0; candidate < 20; candidate++) {
      byte[] other = new byte[secret.length];
      if (candidate == 0) {
        other = secret.clone();
      } else {
        random.nextBytes(other);
      }
      long[] otherChunks = Shamir.split(other, 1, 1, random).getFirst().values(); // f = const
      long[] completion = new long[otherChunks.length];
      for (int c = 0; c < completion.length; c++) {
        List<long[]> points = new ArrayList<>();
        points.add(new long[] {0, otherChunks[c]});
        for (Share s : known) {
          points.add(new long[] {s.index(), s.values()[c]});
        }
        completion[c] = lagrangeAt(points, extraIndex);
      }
      List<Share> completed = new ArrayList<>(known);
      completed.add(new Share(extraIndex, t, secret.length, completion));
      assertThat(Shamir.reconstruct(completed)).isEqualTo(other);
    }
  }

  @Test
  void thresholdMinusOneShares_distributionIndependentOfSecret() {
    // Empirical check on a small view: the low 3 bits of the two shares at x = 1, 2 of a 3-of-5
    // split (64 cells), over 20,000 splittings each of two very different secrets. The
    // two-sample chi-square statistic sum (a-b)^2/(a+b) has 63 degrees of freedom; its 0.999
    // quantile is 103.44, and the seeded generator makes the outcome deterministic.
    SecureRandom random = TestRandoms.seeded(15);
    int trials = 20_000;
    byte[] zeros = new byte[7];
    byte[] ones = new byte[7];
    Arrays.fill(ones, (byte) 0xFF);
    double statistic = chiSquare(histogram(zeros, 3, trials, random),
        histogram(ones, 3, trials, random));
    assertThat(statistic).isLessThan(103.44);
    // Negative control: with threshold 2, the same two shares are a full set and the test must
    // tell the secrets apart.
    double control = chiSquare(histogram(zeros, 2, trials, random),
        histogram(ones, 2, trials, random));
    assertThat(control).isGreaterThan(1_000);
  }

  @Test
  void split_invalidParameters_rejected() {
    SecureRandom random = TestRandoms.seeded(16);
    byte[] secret = new byte[32];
    assertThatThrownBy(() -> Shamir.split(secret, 3, 4, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n must be >= threshold (4), was 3");
    assertThatThrownBy(() -> Shamir.split(secret, 3, 0, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threshold must be >= 1, was 0");
    assertThatThrownBy(() -> Shamir.split(new byte[0], 3, 2, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret.length must be >= 1, was 0");
    assertThatThrownBy(() -> Shamir.split(secret, 3, 2, null))
        .isInstanceOf(NullPointerException.class).hasMessage("random");
  }

  @Test
  void reconstruct_invalidShares_rejected() {
    SecureRandom random = TestRandoms.seeded(17);
    byte[] a = new byte[32];
    random.nextBytes(a);
    byte[] b = new byte[32];
    random.nextBytes(b);
    List<Share> sa = Shamir.split(a, 6, 3, random);
    List<Share> sb = Shamir.split(b, 6, 3, random);

    assertThatThrownBy(() -> Shamir.reconstruct(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("shares must not be empty");
    assertThatThrownBy(() -> Shamir.reconstruct(List.of(sa.get(0), sa.get(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("too few shares: need threshold 3, got 2");
    assertThatThrownBy(() -> Shamir.reconstruct(List.of(sa.get(0), sa.get(1), sa.get(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate share index 2");
    assertThatThrownBy(() -> Shamir.reconstruct(List.of(sa.get(0), sa.get(1), sb.get(0))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate share index 1");
    List<Share> otherThreshold = Shamir.split(b, 6, 2, random);
    assertThatThrownBy(() -> Shamir.reconstruct(
        List.of(sa.get(0), sa.get(1), otherThreshold.get(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shares disagree on threshold: share 3 has 2");
    List<Share> otherLength = Shamir.split(new byte[31], 6, 3, random);
    assertThatThrownBy(() -> Shamir.reconstruct(
        List.of(sa.get(0), sa.get(1), otherLength.get(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shares disagree on secretLength: share 3 has 31");
    // Shares of two secrets with the same parameters: undetectable with exactly t (that is the
    // privacy property), detected once a further share is available.
    assertThatThrownBy(() -> Shamir.reconstruct(
        List.of(sa.get(0), sa.get(1), sa.get(2), sb.get(3))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shares are inconsistent: share 4");
    List<Share> withNull = new ArrayList<>(sa);
    withNull.set(1, null);
    assertThatThrownBy(() -> Shamir.reconstruct(withNull))
        .isInstanceOf(NullPointerException.class).hasMessage("shares must not contain null");
  }

  @Test
  void share_invalidFields_rejectedAndValuesHidden() {
    assertThatThrownBy(() -> new Share(0, 1, 1, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("index must be >= 1, was 0");
    assertThatThrownBy(() -> new Share(1, 0, 1, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threshold must be >= 1, was 0");
    assertThatThrownBy(() -> new Share(1, 1, 8, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("values.length must be 2 for secretLength 8, was 1");
    assertThatThrownBy(() -> new Share(1, 1, 1, new long[] {PrimeField.P}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("values[0] must be in [0, 2^61-1), was " + PrimeField.P);
    long[] values = {42};
    Share share = new Share(3, 2, 1, values);
    values[0] = 7;
    assertThat(share.values()).containsExactly(42);
    share.values()[0] = 9;
    assertThat(share.values()).containsExactly(42);
    assertThat(share.toString()).doesNotContain("42");
    assertThat(share).isEqualTo(new Share(3, 2, 1, new long[] {42}));
  }

  private static long[] histogram(byte[] secret, int threshold, int trials,
      SecureRandom random) {
    long[] cells = new long[64];
    for (int i = 0; i < trials; i++) {
      List<Share> shares = Shamir.split(secret, 5, threshold, random);
      int cell = (int) ((shares.get(0).values()[0] & 7) << 3 | (shares.get(1).values()[0] & 7));
      cells[cell]++;
    }
    return cells;
  }

  private static double chiSquare(long[] a, long[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] + b[i] > 0) {
        double d = a[i] - b[i];
        sum += d * d / (a[i] + b[i]);
      }
    }
    return sum;
  }

  /** The polynomial through {@code points} (pairs x, y) evaluated at z, in BigInteger mod p. */
  private static long lagrangeAt(List<long[]> points, long z) {
    BigInteger bz = BigInteger.valueOf(z);
    BigInteger sum = BigInteger.ZERO;
    for (int i = 0; i < points.size(); i++) {
      BigInteger xi = BigInteger.valueOf(points.get(i)[0]);
      BigInteger num = BigInteger.ONE;
      BigInteger den = BigInteger.ONE;
      for (int j = 0; j < points.size(); j++) {
        if (j != i) {
          BigInteger xj = BigInteger.valueOf(points.get(j)[0]);
          num = num.multiply(bz.subtract(xj)).mod(BP);
          den = den.multiply(xi.subtract(xj)).mod(BP);
        }
      }
      sum = sum.add(BigInteger.valueOf(points.get(i)[1]).multiply(num)
          .multiply(den.modInverse(BP)));
    }
    return sum.mod(BP).longValueExact();
  }
}
