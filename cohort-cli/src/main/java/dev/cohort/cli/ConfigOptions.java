package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} and {@code --set SECTION.KEY=VALUE} options that {@code sim},
 * {@code server} and {@code client} share (a picocli mixin), and the one way they load the file.
 */
final class ConfigOptions {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the TOML configuration")
  Path file;

  @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override a configuration value")
  List<String> overrides = new ArrayList<>();

  /**
   * The checked configuration.
   *
   * @throws UserFacingException (exit status 2) if the file does not exist
   * @throws dev.cohort.cli.config.ConfigException if a value is unknown, mistyped or out of range
   */
  Config load() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UserFacingException("config file " + file + " does not exist", 2);
    }
    return Config.load(Schema.simulation(), file, overrides);
  }
}
