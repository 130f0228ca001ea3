package dev.cohort.secagg.crypto;

import java.util.List;
import java.util.Locale;

/**
 * Chooses the process's {@link X25519Engine}. {@code -Dcohort.x25519=auto} (the default) takes
 * libsodium when it loads and BouncyCastle otherwise; {@code libsodium} insists on libsodium
 * (failing with the reason when it cannot be loaded); {@code bouncycastle} always takes the
 * pure-Java engine. Both engines compute the same function; only speed differs.
 */
final class X25519Engines {
  /** The system property that chooses the engine. */
  static final String PROPERTY = "cohort.x25519";

  private static final BouncyCastleX25519 BOUNCY_CASTLE = new BouncyCastleX25519();

  private X25519Engines() {}

  /** The engine chosen by {@link #PROPERTY}, decided once per process. */
  static X25519Engine selected() {
    return Selected.ENGINE;
  }

  /** The pure-Java engine. */
  static X25519Engine bouncyCastle() {
    return BOUNCY_CASTLE;
  }

  /** Every engine that loads on this machine, the pure-Java one first. */
  static List<X25519Engine> available() {
    return SodiumX25519.load().<List<X25519Engine>>map(s -> List.of(BOUNCY_CASTLE, s))
        .orElse(List.of(BOUNCY_CASTLE));
  }

  static X25519Engine choose(String setting) {
    return switch (setting.toLowerCase(Locale.ROOT)) {
      case "auto" -> SodiumX25519.load().<X25519Engine>map(s -> s).orElse(BOUNCY_CASTLE);
      case "bouncycastle", "java" -> BOUNCY_CASTLE;
      case "libsodium", "sodium" -> SodiumX25519.load().orElseThrow(() -> new IllegalStateException(
          "-D" + PROPERTY + "=" + setting + " but libsodium cannot be loaded ("
              + SodiumX25519.loadFailure() + "); install it with apt-get install libsodium23"));
      default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, libsodium or "
          + "bouncycastle, was \"" + setting + "\"");
    };
  }

  private static final class Selected {
    static final X25519Engine ENGINE = choose(System.getProperty(PROPERTY, "auto"));
  }
}
