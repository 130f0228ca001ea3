package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyAgreementTest {

  private static final HexFormat HEX = HexFormat.of();

  // RFC 7748, section 6.1 (Curve25519 Diffie-Hellman test vector).
  private static final byte[] ALICE_PRIVATE =
      HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  private static final byte[] ALICE_PUBLIC =
      HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  private static final byte[] BOB_PRIVATE =
      HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  private static final byte[] BOB_PUBLIC =
      HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  private static final byte[] SHARED =
      HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

  @Test
  void publicKey_rfc7748Section61_matches() {
    assertThat(KeyAgreement.publicKey(ALICE_PRIVATE)).isEqualTo(ALICE_PUBLIC);
    assertThat(KeyAgreement.publicKey(BOB_PRIVATE)).isEqualTo(BOB_PUBLIC);
  }

  @Test
  void agree_rfc7748Section61_bothSidesGetK() {
    assertThat(KeyAgreement.agree(ALICE_PRIVATE, BOB_PUBLIC)).isEqualTo(SHARED);
    assertThat(KeyAgreement.agree(BOB_PRIVATE, ALICE_PUBLIC)).isEqualTo(SHARED);
  }

  @Test
  void generateKeyPair_randomPairs_agreeSymmetrically() {
    SecureRandom random = TestRandoms.seeded(30);
    for (int i = 0; i < 20; i++) {
      KeyAgreement.KeyPair u = KeyAgreement.generateKeyPair(random);
      KeyAgreement.KeyPair v = KeyAgreement.generateKeyPair(random);
      assertThat(u.publicKey()).isEqualTo(KeyAgreement.publicKey(u.privateKey()));
      assertThat(KeyAgreement.agree(u.privateKey(), v.publicKey()))
          .isEqualTo(KeyAgreement.agree(v.privateKey(), u.publicKey()))
          .isNotEqualTo(KeyAgreement.agree(u.privateKey(), u.publicKey()));
      assertThat(u.toString()).doesNotContain(HEX.formatHex(u.privateKey()));
    }
  }

  @Test
  void agree_smallOrderPoint_rejected() {
    // u = 0 has order 1 (RFC 7748, section 6.1: an all-zero output must be rejected).
    assertThatThrownBy(() -> KeyAgreement.agree(ALICE_PRIVATE, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peerPublicKey is a small-order point");
  }

  @Test
  void keys_wrongLength_rejected() {
    assertThatThrownBy(() -> KeyAgreement.publicKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("privateKey.length must be 32, was 31");
    assertThatThrownBy(() -> KeyAgreement.agree(ALICE_PRIVATE, new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("peerPublicKey.length must be 32, was 33");
    assertThatThrownBy(() -> new KeyAgreement.KeyPair(new byte[32], null))
        .isInstanceOf(NullPointerException.class).hasMessage("publicKey");
  }
}
