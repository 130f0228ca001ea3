package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AeadTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encrypt_gcmSpecTestCase14_matches() {
    // McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", revised 2005, appendix B,
    // test case 14: 256-bit zero key, 96-bit zero IV, one zero block, no AAD.
    byte[] key = new byte[32];
    byte[] iv = new byte[12];
    byte[] out = Aead.encrypt(key, iv, new byte[16], new byte[0]);
    assertThat(HEX.formatHex(out))
        .isEqualTo("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");
  }

  @Test
  void encryptDecrypt_gcmSpecTestCase16_matches() throws AeadException {
    // Same source, test case 16: 256-bit key, 96-bit IV, 60-byte plaintext, 20-byte AAD.
    byte[] key = HEX.parseHex(
        "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
    byte[] plaintext = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    String ciphertext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
    String tag = "76fc6ece0f4e1768cddf8853bb2d551b";
    byte[] out = Aead.encrypt(key, iv, plaintext, aad);
    assertThat(HEX.formatHex(out)).isEqualTo(ciphertext + tag);
    assertThat(Aead.decrypt(key, iv, out, aad)).isEqualTo(plaintext);
  }

  @Test
  void sealOpen_roundTrip_freshNonces() throws AeadException {
    SecureRandom random = TestRandoms.seeded(40);
    byte[] key = key(random);
    byte[] aad = Aead.associatedData(7, 3, 11);
    byte[] message = "shares of client 3 for client 11".getBytes();
    byte[] first = Aead.seal(key, message, aad, random);
    byte[] second = Aead.seal(key, message, aad, random);
    assertThat(first).hasSize(Aead.NONCE_BYTES + message.length + Aead.TAG_BYTES);
    assertThat(first).isNotEqualTo(second);
    assertThat(Aead.open(key, first, aad)).isEqualTo(message);
    assertThat(Aead.open(key, second, aad)).isEqualTo(message);
    assertThat(Aead.open(key, Aead.seal(key, new byte[0], aad, random), aad)).isEmpty();
  }

  @Test
  void engine_reusedAcrossKeysAndFailures_sealsAsTheStandardSays() throws AeadException {
    // One engine seals and opens every neighbour's share message in a round: each sealed message
    // must be nonce || AES-GCM(key, nonce, plaintext, aad), whatever the engine did before,
    // including failing to open a forged message.
    SecureRandom random = TestRandoms.seeded(44);
    Aead.Engine engine = new Aead.Engine();
    for (int peer = 0; peer < 12; peer++) {
      byte[] key = key(random);
      byte[] aad = Aead.associatedData(3, 1, peer);
      byte[] message = new byte[peer * 7];
      random.nextBytes(message);
      byte[] sealed = engine.seal(key, message, aad, random);
      byte[] nonce = java.util.Arrays.copyOf(sealed, Aead.NONCE_BYTES);
      assertThat(java.util.Arrays.copyOfRange(sealed, Aead.NONCE_BYTES, sealed.length))
          .isEqualTo(Aead.encrypt(key, nonce, message, aad));
      assertThat(engine.open(key, sealed, aad)).isEqualTo(message);
      assertThat(Aead.open(key, sealed, aad)).isEqualTo(message);
      byte[] forged = sealed.clone();
      forged[forged.length - 1] ^= 0x40;
      assertThatThrownBy(() -> engine.open(key, forged, aad))
          .isInstanceOf(AeadException.class).hasMessageContaining("authentication failed");
      assertThatThrownBy(() -> engine.open(key(random), sealed, aad))
          .isInstanceOf(AeadException.class).hasMessageContaining("authentication failed");
    }
  }

  @Test
  void open_tamperedMessage_rejected() {
    SecureRandom random = TestRandoms.seeded(41);
    byte[] key = key(random);
    byte[] aad = Aead.associatedData(1, 2, 3);
    byte[] sealed = Aead.seal(key, new byte[100], aad, random);
    // A flipped bit anywhere: nonce, ciphertext, tag.
    for (int position : new int[] {0, 11, 12, 60, 111, sealed.length - 1}) {
      byte[] tampered = sealed.clone();
      tampered[position] ^= 0x01;
      assertThatThrownBy(() -> Aead.open(key, tampered, aad))
          .as("bit flipped at byte %d", position).isInstanceOf(AeadException.class)
          .hasMessageContaining("authentication failed");
    }
    byte[] truncated = java.util.Arrays.copyOf(sealed, sealed.length - 1);
    assertThatThrownBy(() -> Aead.open(key, truncated, aad)).isInstanceOf(AeadException.class);
    assertThatThrownBy(() -> Aead.open(key, new byte[27], aad))
        .isInstanceOf(AeadException.class)
        .hasMessage("sealed.length must be >= 28 (nonce and tag), was 27");
  }

  @Test
  void open_wrongKey_rejected() {
    SecureRandom random = TestRandoms.seeded(42);
    byte[] aad = Aead.associatedData(1, 2, 3);
    byte[] sealed = Aead.seal(key(random), new byte[32], aad, random);
    assertThatThrownBy(() -> Aead.open(key(random), sealed, aad))
        .isInstanceOf(AeadException.class).hasMessageContaining("authentication failed");
  }

  @Test
  void open_wrongAssociatedData_rejected() {
    SecureRandom random = TestRandoms.seeded(43);
    byte[] key = key(random);
    byte[] sealed = Aead.seal(key, new byte[32], Aead.associatedData(5, 2, 3), random);
    for (byte[] wrong : new byte[][] {Aead.associatedData(6, 2, 3),
        Aead.associatedData(5, 4, 3), Aead.associatedData(5, 2, 4),
        Aead.associatedData(5, 3, 2), new byte[0]}) {
      assertThatThrownBy(() -> Aead.open(key, sealed, wrong))
          .isInstanceOf(AeadException.class).hasMessageContaining("authentication failed");
    }
  }

  @Test
  void associatedData_distinctFields_distinctBytes() {
    assertThat(Aead.associatedData(1, 2, 3)).isNotEqualTo(Aead.associatedData(1, 3, 2))
        .isNotEqualTo(Aead.associatedData(2, 2, 3)).isEqualTo(Aead.associatedData(1, 2, 3));
  }

  @Test
  void encrypt_invalidKeyOrNonce_rejected() {
    assertThatThrownBy(() -> Aead.encrypt(new byte[16], new byte[12], new byte[1], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("key.length must be 32, was 16");
    assertThatThrownBy(() -> Aead.encrypt(new byte[32], new byte[16], new byte[1], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nonce.length must be 12, was 16");
  }

  private static byte[] key(SecureRandom random) {
    byte[] key = new byte[Aead.KEY_BYTES];
    random.nextBytes(key);
    return key;
  }
}
