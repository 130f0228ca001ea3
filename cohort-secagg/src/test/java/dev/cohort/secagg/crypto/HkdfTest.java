package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void derive_rfc5869TestCase1_matches() {
    // RFC 5869, appendix A.1 (test case 1, SHA-256).
    byte[] ikm = new byte[22];
    Arrays.fill(ikm, (byte) 0x0b);
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertThat(HEX.formatHex(Hkdf.derive(ikm, salt, info, 42))).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void derive_rfc5869TestCase3_emptySaltAndInfo() {
    // RFC 5869, appendix A.3 (test case 3, SHA-256, zero-length salt and info).
    byte[] ikm = new byte[22];
    Arrays.fill(ikm, (byte) 0x0b);
    String okm =
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
    assertThat(HEX.formatHex(Hkdf.derive(ikm, new byte[0], new byte[0], 42))).isEqualTo(okm);
    assertThat(HEX.formatHex(Hkdf.derive(ikm, null, null, 42))).isEqualTo(okm);
  }

  @Test
  void derive_differentInfo_independentKeys() {
    byte[] ikm = new byte[32];
    Arrays.fill(ikm, (byte) 7);
    assertThat(Hkdf.derive(ikm, null, "mask".getBytes(), 32))
        .isNotEqualTo(Hkdf.derive(ikm, null, "share".getBytes(), 32));
  }

  @Test
  void derive_invalidParameters_rejected() {
    assertThatThrownBy(() -> Hkdf.derive(new byte[0], null, null, 32))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ikm.length must be >= 1, was 0");
    assertThatThrownBy(() -> Hkdf.derive(new byte[32], null, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length must be in [1, 8160], was 0");
    assertThatThrownBy(() -> Hkdf.derive(new byte[32], null, null, 8161))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length must be in [1, 8160], was 8161");
  }
}
