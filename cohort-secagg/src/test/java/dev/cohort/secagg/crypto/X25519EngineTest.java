package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every X25519 engine against RFC 7748's published values, and the engines against each other. */
class X25519EngineTest {
  private static final HexFormat HEX = HexFormat.of();

  static List<X25519Engine> engines() {
    return X25519Engines.available();
  }

  private static byte[] x25519(X25519Engine engine, String scalar, String u) {
    byte[] out = new byte[32];
    engine.agree(HEX.parseHex(scalar), HEX.parseHex(u), out);
    return out;
  }

  @ParameterizedTest
  @MethodSource("engines")
  void rfc7748Section52_bothVectors_match(X25519Engine engine) {
    assertThat(HEX.formatHex(x25519(engine,
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")))
        .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    // The second u has its top bit set, which X25519 must ignore.
    assertThat(HEX.formatHex(x25519(engine,
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")))
        .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  }

  @ParameterizedTest
  @MethodSource("engines")
  void rfc7748Section52_iterated_matchAfter1And1000(X25519Engine engine) {
    byte[] k = new byte[32];
    k[0] = 9;
    byte[] u = k.clone();
    for (int i = 1; i <= 1000; i++) {
      byte[] next = new byte[32];
      engine.agree(k, u, next);
      u = k;
      k = next;
      if (i == 1) {
        assertThat(HEX.formatHex(k))
            .isEqualTo("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
      }
    }
    assertThat(HEX.formatHex(k))
        .isEqualTo("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
  }

  @ParameterizedTest
  @MethodSource("engines")
  void rfc7748Section61_publicKeysAndSharedSecret_match(X25519Engine engine) {
    byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bob = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    byte[] alicePublic = new byte[32];
    byte[] bobPublic = new byte[32];
    engine.publicKey(alice, alicePublic);
    engine.publicKey(bob, bobPublic);
    assertThat(HEX.formatHex(alicePublic))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(HEX.formatHex(bobPublic))
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    byte[] shared = new byte[32];
    assertThat(engine.agree(alice, bobPublic, shared)).isTrue();
    assertThat(HEX.formatHex(shared))
        .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  }

  @ParameterizedTest
  @MethodSource("engines")
  void smallOrderPoints_areRejected(X25519Engine engine) {
    byte[] scalar = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    // Points of order 1, 2, 4 and 8, and non-canonical encodings of them (p - 1, p, p + 1).
    for (String u : List.of(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")) {
      assertThat(engine.agree(scalar, HEX.parseHex(u), new byte[32])).as(u).isFalse();
    }
  }

  @Test
  void libsodium_agreesWithBouncyCastle_onRandomKeys() {
    List<X25519Engine> engines = engines();
    Assumptions.assumeTrue(engines.size() > 1,
        () -> "libsodium is not installed: " + SodiumX25519.loadFailure());
    X25519Engine java = engines.get(0);
    X25519Engine sodium = engines.get(1);
    SecureRandom random = TestRandoms.seeded(7);
    for (int i = 0; i < 200; i++) {
      byte[] scalar = new byte[32];
      byte[] u = new byte[32];
      random.nextBytes(scalar);
      random.nextBytes(u);
      byte[] a = new byte[32];
      byte[] b = new byte[32];
      assertThat(sodium.agree(scalar, u, b)).isEqualTo(java.agree(scalar, u, a));
      assertThat(b).isEqualTo(a);
      sodium.publicKey(scalar, b);
      java.publicKey(scalar, a);
      assertThat(b).isEqualTo(a);
    }
  }

  @Test
  void choose_unknownSetting_namesTheChoices() {
    assertThatThrownBy(() -> X25519Engines.choose("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Dcohort.x25519 must be auto, libsodium or bouncycastle, was \"fast\"");
    assertThat(X25519Engines.choose("bouncycastle").name()).isEqualTo("bouncycastle");
  }
}
