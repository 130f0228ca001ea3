package dev.cohort.secagg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps non-cryptographic randomness out of this module's sources. */
class ForbiddenApiTest {

  // Assembled so that this file does not match itself.
  private static final Pattern FORBIDDEN =
      Pattern.compile("java\\.util\\." + "Random\\b|new\\s+" + "Random\\s*\\(|\\b" + "Math\\.random\\(");

  @Test
  void sources_neverUseNonCryptographicRandom() throws IOException {
    List<Path> offenders;
    try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/java")),
        Files.walk(Path.of("src/test/java")))) {
      offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          return FORBIDDEN.matcher(Files.readString(p)).find();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(offenders).isEmpty();
  }
}
