package dev.cohort.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AesCtrRandomTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void keystream_matchesNistSp80038aF55CtrAes256() {
    // NIST SP 800-38A, appendix F.5.5 (CTR-AES256.Encrypt): the keystream is plaintext XOR
    // ciphertext; the generator's words are that keystream read eight bytes at a time, little-endian.
    byte[] key = HEX.parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    byte[] counter = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    byte[] plaintext = HEX.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
    byte[] ciphertext = HEX.parseHex("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        + "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
    ByteBuffer keystream = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 64; i++) {
      keystream.put((byte) (plaintext[i] ^ ciphertext[i]));
    }
    keystream.flip();
    AesCtrRandom rng = AesCtrRandom.withKey(key, counter);
    for (int w = 0; w < 8; w++) {
      assertThat(rng.nextLong()).as("word %d", w).isEqualTo(keystream.getLong());
    }
    // Output block #1 of the standard begins 0bdf7df1: its first eight bytes, little-endian.
    assertThat(AesCtrRandom.withKey(key, counter).nextLong() & 0xffffffffL).isEqualTo(0xf17ddf0bL);
  }

  @Test
  void nextLongs_givesTheSameWordsAsNextLong_acrossBufferBoundariesAndAfterAnInt() {
    AesCtrRandom one = AesCtrRandom.seededForTests(5);
    AesCtrRandom bulk = AesCtrRandom.seededForTests(5);
    assertThat(bulk.nextInt()).isEqualTo(one.nextInt()); // leaves both unaligned by four bytes
    long[] words = new long[3 * 8192 + 17];
    bulk.nextLongs(words, 0, 5);
    bulk.nextLongs(words, 5, words.length - 5);
    for (int i = 0; i < words.length; i++) {
      assertThat(words[i]).as("word %d", i).isEqualTo(one.nextLong());
    }
  }

  @Test
  void seededForTests_isReproducibleAndFlagged_secureIsNeither() {
    assertThat(AesCtrRandom.seededForTests(9).nextLong()).isEqualTo(AesCtrRandom.seededForTests(9).nextLong());
    assertThat(AesCtrRandom.seededForTests(9).nextLong()).isNotEqualTo(AesCtrRandom.seededForTests(10).nextLong());
    assertThat(AesCtrRandom.seededForTests(9).isSeeded()).isTrue();
    AesCtrRandom a = AesCtrRandom.secure();
    assertThat(a.isSeeded()).isFalse();
    assertThat(a.nextLong()).isNotEqualTo(AesCtrRandom.secure().nextLong());
  }

  @Test
  void bits_areBalanced() {
    AesCtrRandom rng = AesCtrRandom.seededForTests(11);
    long ones = 0;
    int words = 1 << 16;
    for (int i = 0; i < words; i++) {
      ones += Long.bitCount(rng.nextLong());
    }
    // 2^22 fair bits: mean 2^21, standard deviation 1024; 5 standard deviations.
    assertThat(ones).isBetween((1L << 21) - 5120, (1L << 21) + 5120);
  }
}
