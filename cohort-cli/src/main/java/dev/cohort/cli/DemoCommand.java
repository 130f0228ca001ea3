package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.cli.config.Schema;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cohort demo}: the Fashion-MNIST federation of {@code examples/fashion-mnist.toml}. */
@Command(name = "demo", description = "Federated averaging on Fashion-MNIST: 100 clients, 20 rounds.")
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override a configuration value")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--json", description = "print a JSON summary as the last line of stdout")
  boolean json;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "write the final global model to FILE (safetensors, readable by PyTorch)")
  Path checkpoint;

  @Override
  public Integer call() throws Exception {
    Path file = Files.createTempFile("cohort-demo", ".toml");
    try {
      try (InputStream in = DemoCommand.class.getResourceAsStream("fashion-mnist.toml")) {
        if (in == null) {
          throw new UserFacingException("the demo configuration is missing from this build", 1);
        }
        Files.write(file, in.readAllBytes());
      }
      System.err.println("cohort demo: examples/fashion-mnist.toml (2NN, 100 clients IID, 10 per round, 20 rounds)");
      Config c = Config.load(Schema.simulation(), file, overrides);
      return SimRunner.run(c, json, checkpoint, spec.commandLine().getOut(), System.err);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
