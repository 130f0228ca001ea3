package dev.cohort.cli;

import dev.cohort.cli.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cohort} command line. Exit codes: 0 success, 1 the run failed, 2 bad usage or
 * configuration (one line on stderr naming what is wrong).
 */
@Command(name = "cohort", mixinStandardHelpOptions = true, version = "cohort 0.1.0",
    description = "Privacy-preserving federated learning for the JVM.",
    subcommands = {SimCommand.class, DemoCommand.class, BenchCommand.class, PrivacyCommand.class,
        RunsCommand.class, CertsCommand.class, ServerCommand.class, ClientCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: sim, demo, bench, privacy or runs");
  }

  /** Runs the CLI and returns its exit code. */
  public static int execute(String... args) {
    return execute(new CommandLine(new Main()), null, null, args);
  }

  /** Runs the CLI with the given output and error writers (null: the process's own). */
  static int execute(CommandLine cli, java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("cohort: " + e.getMessage());
        cmd.getErr().flush();
        return 2;
      }
      if (e instanceof UserFacingException u) {
        cmd.getErr().println("cohort: " + u.getMessage());
        cmd.getErr().flush();
        return u.exitCode();
      }
      throw e;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
