package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cohort sim --config FILE [--set section.key=value]... [--json]}. */
@Command(name = "sim", description = "Simulate a federation of virtual clients in this JVM.")
final class SimCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "TOML configuration")
  Path config;

  @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override a configuration value")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--json", description = "print a JSON summary as the last line of stdout")
  boolean json;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "write the final global model to FILE (safetensors, readable by PyTorch)")
  Path checkpoint;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(config)) {
      throw new UserFacingException("config file " + config + " does not exist", 2);
    }
    Config c = Config.load(Schema.simulation(), config, overrides);
    return SimRunner.run(c, json, checkpoint, spec.commandLine().getOut(), System.err);
  }
}
