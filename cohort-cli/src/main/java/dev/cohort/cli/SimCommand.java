package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cohort sim --config FILE [--set section.key=value]... [--json] [--store URL [--resume RUN_ID]]}.
 */
@Command(name = "sim", description = "Simulate a federation of virtual clients in this JVM.",
    footer = {"", "Durable runs: with --store URL every round is committed to the store (SQLite: sqlite:/path/runs.db; "
        + "PostgreSQL: jdbc:postgresql://host/db?user=..) with a checkpoint of the global model, the aggregation "
        + "state and the privacy accountant, and the run's id is printed on stderr. If the process is killed, "
        + "run the same command with --resume RUN_ID to continue after the last committed round: no round is "
        + "lost or run twice, and the privacy ledger charges a re-run round once. A run can only be resumed with "
        + "the configuration it was started with, and not once it has finished. 'cohort runs show' prints runs."})
final class SimCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ConfigOptions configOptions;

  @Option(names = "--json", description = "print a JSON summary as the last line of stdout")
  boolean json;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "write the final global model to FILE (safetensors, readable by PyTorch)")
  Path checkpoint;

  @Option(names = "--store", paramLabel = "URL",
      description = "persist the run, round by round, in this run store (sqlite:FILE or a PostgreSQL JDBC URL)")
  String store;

  @Option(names = "--resume", paramLabel = "RUN_ID",
      description = "continue run RUN_ID of --store after its last committed round (same configuration)")
  Long resume;

  @Option(names = "--name", paramLabel = "NAME",
      description = "the name of a new stored run (default: the config file's name)")
  String name;

  @Override
  public Integer call() throws Exception {
    if (store == null && (resume != null || name != null)) {
      throw new UserFacingException((resume != null ? "--resume" : "--name") + " needs --store URL", 2);
    }
    if (resume != null && name != null) {
      throw new UserFacingException("--name names a new run; a resumed run keeps its name", 2);
    }
    Config c = configOptions.load();
    SimRunner.Persistence persistence = store == null ? null
        : SimRunner.Persistence.of(store, resume, name, configOptions.file);
    return SimRunner.run(c, json, checkpoint, spec.commandLine().getOut(), System.err, persistence);
  }
}
