package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

class MaskStreamTest {

  @Test
  void keystream_nistSp80038aF55CtrAes256() {
    // NIST SP 800-38A, appendix F.5.5 (CTR-AES256.Encrypt): the keystream is plaintext XOR
    // ciphertext; read little-endian it gives the mask words of that key and initial counter.
    HexFormat hex = HexFormat.of();
    byte[] key = hex.parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    byte[] counter = hex.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    byte[] plaintext = hex.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
    byte[] ciphertext = hex.parseHex("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        + "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
    byte[] keystream = new byte[64];
    for (int i = 0; i < 64; i++) {
      keystream[i] = (byte) (plaintext[i] ^ ciphertext[i]);
    }
    assertThat(MaskStream.keystreamWords(key, counter, 16)).containsExactly(littleEndianWords(keystream));
    // Output block #1 of the standard: 0bdf7df1 5917...; word 0 is its first four bytes, little-endian.
    assertThat(MaskStream.keystreamWords(key, counter, 1)[0]).isEqualTo(0xf17ddf0b);
  }

  @Test
  void expand_matchesIndependentAesCtr_acrossChunkBoundaries() {
    SecureRandom random = TestRandoms.seeded(50);
    int chunkWords = MaskStream.CHUNK_BYTES / 4;
    for (int length : new int[] {1, 15, 16, 17, chunkWords - 1, chunkWords, chunkWords + 1,
        3 * chunkWords + 5, 100_003}) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      SICBlockCipher engine = new SICBlockCipher(AESEngine.newInstance());
      engine.init(true, new ParametersWithIV(new KeyParameter(seed), new byte[16]));
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
  void addMaskOverRanges_equalsTheWholeMask_whateverTheSplit() {
    // The server masks disjoint ranges of the sum on different threads: the pieces must add up to
    // exactly the mask a client adds to the whole vector, across chunk boundaries and vector tails.
    SecureRandom random = TestRandoms.seeded(55);
    int chunkWords = MaskStream.CHUNK_BYTES / 4;
    MaskStream.Expander expander = new MaskStream.Expander();
    for (int d : new int[] {1, 7, 64, chunkWords + 3, 3 * chunkWords + 17, 199_211}) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      int[] target = randomInts(random, d);
      int[] whole = target.clone();
      expander.addMask(whole, seed, -1);
      for (int pieces : new int[] {1, 2, 3, 7}) {
        int[] split = target.clone();
        int step = Math.max(MaskStream.BLOCK_WORDS,
            (d / pieces + MaskStream.BLOCK_WORDS - 1) / MaskStream.BLOCK_WORDS * MaskStream.BLOCK_WORDS);
        for (int from = 0; from < d; from += step) {
          expander.addMask(split, from, Math.min(d, from + step), seed, -1);
        }
        assertThat(split).as("length %d in %d pieces", d, pieces).isEqualTo(whole);
      }
      int[] middle = target.clone();
      int from = Math.min(d, 4 * (d / 12));
      int to = Math.min(d, from + d / 3 + 1);
      expander.addMask(middle, from, to, seed, 1);
      int[] mask = MaskStream.expand(seed, d);
      for (int i = 0; i < d; i++) {
        assertThat(middle[i]).isEqualTo(i >= from && i < to ? target[i] + mask[i] : target[i]);
      }
    }
  }

  @Test
  void addMaskOverRanges_refusesRangesNotStartingOnABlock() {
    MaskStream.Expander expander = new MaskStream.Expander();
    byte[] seed = new byte[32];
    assertThatThrownBy(() -> expander.addMask(new int[100], 2, 50, seed, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 4");
    assertThatThrownBy(() -> expander.addMask(new int[100], 4, 101, seed, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> expander.addMask(new int[100], 8, 4, seed, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> expander.addMask(new int[100], 0, 4, seed, 2))
        .isInstanceOf(IllegalArgumentException.class);
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
