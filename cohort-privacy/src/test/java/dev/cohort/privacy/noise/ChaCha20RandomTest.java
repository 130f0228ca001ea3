package dev.cohort.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChaCha20RandomTest {
  /**
   * RFC 8439, Appendix A.1, test vector #1: all-zero key and nonce, block counter 0; the first 64
   * bytes of keystream.
   */
  private static final String RFC8439_A1_1 =
      "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
          + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";

  @Test
  void keystream_matchesRfc8439TestVector() {
    ChaCha20Random rng = ChaCha20Random.withKey(new byte[32]);
    ByteBuffer expected = ByteBuffer.wrap(HexFormat.of().parseHex(RFC8439_A1_1)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      assertThat(rng.nextLong()).as("word %d", i).isEqualTo(expected.getLong());
    }
  }

  @Test
  void seededForTests_isReproducibleAndFlagged() {
    ChaCha20Random a = ChaCha20Random.seededForTests(5);
    ChaCha20Random b = ChaCha20Random.seededForTests(5);
    ChaCha20Random c = ChaCha20Random.seededForTests(6);
    long x = a.nextLong();
    assertThat(b.nextLong()).isEqualTo(x);
    assertThat(c.nextLong()).isNotEqualTo(x);
    assertThat(a.isSeeded()).isTrue();
    assertThat(ChaCha20Random.secure().isSeeded()).isFalse();
  }

  @Test
  void secure_generatorsDiffer() {
    assertThat(ChaCha20Random.secure().nextLong()).isNotEqualTo(ChaCha20Random.secure().nextLong());
  }

  @Test
  void longStream_crossesBufferBoundariesWithBalancedBits() {
    ChaCha20Random rng = ChaCha20Random.seededForTests(1);
    long ones = 0;
    int n = 200_000; // 1.6 MB: many 64 KiB refills
    for (int i = 0; i < n; i++) {
      ones += Long.bitCount(rng.nextLong());
    }
    double mean = ones / (64.0 * n);
    // Binomial(12.8M, 1/2): standard deviation of the mean 1.4e-4; 6 sigma.
    assertThat(mean).isBetween(0.5 - 8.4e-4, 0.5 + 8.4e-4);
  }
}
