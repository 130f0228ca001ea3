package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

class MaskStreamTest {

  @Test
  void expand_rfc8439AppendixA1_firstWords() {
    // RFC 8439, appendix A.1, ChaCha20 block function test vectors #1 (key 0, nonce 0, block
    // counter 0) and #2 (key 0, nonce 0, block counter 1): together the first 128 keystream
    // bytes of the all-zero seed, i.e. mask words 0..31 read little-endian.
    String block0 = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
        + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
    String block1 = "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
        + "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f";
    int[] expected = littleEndianWords(HexFormat.of().parseHex(block0 + block1));
    int[] mask = MaskStream.expand(new byte[32], 32);
    assertThat(mask).containsExactly(expected);
    assertThat(mask[0]).isEqualTo(0xade0b876);
  }

  @Test
  void expand_matchesIndependentChaCha20_acrossChunkBoundaries() {
    SecureRandom random = TestRandoms.seeded(50);
    int chunkWords = MaskStream.CHUNK_BYTES / 4;
    for (int length : new int[] {1, 15, 16, 17, chunkWords - 1, chunkWords, chunkWords + 1,
        3 * chunkWords + 5, 100_003}) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      ChaCha7539Engine engine = new ChaCha7539Engine();
      engine.init(true, new ParametersWithIV(new KeyParameter(seed), new byte[12]));
      byte[] keystream = new byte[4 * length];
      engine.processBytes(new byte[4 * length], 0, keystream.length, keystream, 0);
      assertThat(MaskStream.expand(seed, length)).as("length %d", length)
          .containsExactly(littleEndianWords(keystream));
    }
  }

  @Test
  void addMask_equalsTargetPlusExpandedMask() {
    SecureRandom random = TestRandoms.seeded(51);
    int d = 50_001;
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    int[] target = randomInts(random, d);
    int[] mask = MaskStream.expand(seed, d);
    int[] plus = target.clone();
    MaskStream.addMask(plus, seed, 1);
    int[] minus = target.clone();
    MaskStream.addMask(minus, seed, -1);
    for (int i = 0; i < d; i++) {
      assertThat(plus[i]).isEqualTo(target[i] + mask[i]);
      assertThat(minus[i]).isEqualTo(target[i] - mask[i]);
    }
  }

  @Test
  void addMask_pairwisePlusMinus_cancelExactly() {
    // SecAgg's pairwise masks: client u adds PRG(s_uv) for v > u and subtracts it for v < u, so
    // the masks cancel in the sum mod 2^32 while each masked vector looks random.
    SecureRandom random = TestRandoms.seeded(52);
    for (int trial = 0; trial < 5; trial++) {
      int clients = 2 + random.nextInt(9);
      int d = 1 + random.nextInt(20_000);
      byte[][][] seeds = new byte[clients][clients][];
      for (int u = 0; u < clients; u++) {
        for (int v = u + 1; v < clients; v++) {
          seeds[u][v] = new byte[32];
          random.nextBytes(seeds[u][v]);
          seeds[v][u] = seeds[u][v];
        }
      }
      int[] plainSum = new int[d];
      int[] maskedSum = new int[d];
      for (int u = 0; u < clients; u++) {
        int[] input = randomInts(random, d);
        int[] masked = input.clone();
        for (int v = 0; v < clients; v++) {
          if (v != u) {
            MaskStream.addMask(masked, seeds[u][v], v > u ? 1 : -1);
          }
        }
        assertThat(masked).isNotEqualTo(input);
        for (int i = 0; i < d; i++) {
          plainSum[i] += input[i];
          maskedSum[i] += masked[i];
        }
      }
      assertThat(maskedSum).as("trial %d", trial).containsExactly(plainSum);
    }
  }

  @Test
  void addMask_sameSeedPlusThenMinus_restoresTarget() {
    SecureRandom random = TestRandoms.seeded(53);
    int[] target = randomInts(random, 7_777);
    int[] copy = target.clone();
    byte[][] seeds = new byte[6][32];
    for (byte[] s : seeds) {
      random.nextBytes(s);
      MaskStream.addMask(copy, s, 1);
    }
    for (int i = seeds.length - 1; i >= 0; i -= 2) {
      MaskStream.addMask(copy, seeds[i], -1);
    }
    for (int i = seeds.length - 2; i >= 0; i -= 2) {
      MaskStream.addMask(copy, seeds[i], -1);
    }
    assertThat(copy).containsExactly(target);
  }

  @Test
  void expand_prefixStable_andSeedSensitive() {
    byte[] seed = new byte[32];
    seed[5] = 9;
    int[] longMask = MaskStream.expand(seed, 10_000);
    assertThat(MaskStream.expand(seed, 100)).containsExactly(Arrays.copyOf(longMask, 100));
    byte[] other = seed.clone();
    other[31] ^= 1;
    assertThat(MaskStream.expand(other, 100)).isNotEqualTo(Arrays.copyOf(longMask, 100));
    assertThat(MaskStream.expand(seed, 0)).isEmpty();
  }

  @Test
  void invalidArguments_rejected() {
    assertThatThrownBy(() -> MaskStream.addMask(new int[3], new byte[32], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sign must be +1 or -1, was 0");
    assertThatThrownBy(() -> MaskStream.addMask(new int[3], new byte[31], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seed.length must be 32, was 31");
    assertThatThrownBy(() -> MaskStream.expand(new byte[32], -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("length must be >= 0, was -1");
  }

  private static int[] littleEndianWords(byte[] bytes) {
    int[] words = new int[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
    return words;
  }

  private static int[] randomInts(SecureRandom random, int d) {
    int[] values = new int[d];
    for (int i = 0; i < d; i++) {
      values[i] = random.nextInt();
    }
    return values;
  }
}
