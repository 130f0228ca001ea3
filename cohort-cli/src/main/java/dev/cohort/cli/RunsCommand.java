package dev.cohort.cli;

import dev.cohort.store.RunHistoryFormat;
import dev.cohort.store.RunStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cohort runs show [--store URL] [--run ID] [--json]}: the runs in a store, or one run's rounds. */
@Command(name = "runs", description = "Inspect the runs kept in a run store.",
    subcommands = {RunsCommand.Show.class})
final class RunsCommand implements Runnable {
  /** The store {@code runs show} reads when none is given: {@code .cohort/cohort-runs.db} here. */
  static final Path DEFAULT_DATA_DIRECTORY = Path.of(".cohort");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: show");
  }

  @Command(name = "show", description = "Print the runs of a store, or one run's history: rounds (number, "
      + "outcome, accuracy, loss, participants, privacy spent) and the privacy spent so far.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--store", paramLabel = "URL", description = "the run store (default: sqlite:.cohort/cohort-runs.db)")
    String store;

    @Option(names = "--run", paramLabel = "ID", description = "print this run's history instead of the list of runs")
    Long run;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
      String url = store != null ? store : RunStore.defaultUrl(DEFAULT_DATA_DIRECTORY);
      if (store == null && !java.nio.file.Files.exists(Path.of(url.substring("sqlite:".length())))) {
        throw new UserFacingException("no run store at the default " + url + "; give one with --store URL", 2);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (RunStore s = StoredRun.open(url)) {
        if (run == null) {
          out.print(json ? RunHistoryFormat.runsJson(s.runs()) : RunHistoryFormat.runsText(s.runs()));
        } else {
          if (s.run(run).isEmpty()) {
            throw new UserFacingException("run " + run + " is not in the store " + s.url(), 2);
          }
          out.print(json ? RunHistoryFormat.historyJson(s.history(run)) : RunHistoryFormat.historyText(s.history(run)));
        }
      }
      out.flush();
      return 0;
    }
  }
}
