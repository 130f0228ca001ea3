package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.server.RunObserver;
import dev.cohort.server.RunResult;
import dev.cohort.sim.Simulation;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.train.TrainConfig;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/** Runs a configured simulation with console reporting and prints its summary. */
final class SimRunner {
  private SimRunner() {}

  static int run(Config c, boolean json, PrintWriter out, PrintStream err) throws InterruptedException {
    SimulationSetup.Data data = SimulationSetup.data(c);
    TrainConfig training = SimulationSetup.training(c);
    int rounds = c.integer("federation", "rounds");
    boolean interactive = System.console() != null && System.console().isTerminal();
    Simulation.Builder b = Simulation.builder()
        .trainData(data.train())
        .partitioner(SimulationSetup.partitioner(c))
        .clients(c.integer("data", "clients"))
        .model(SimulationSetup.model(c))
        .training(training)
        .strategy(SimulationSetup.strategy(c, training))
        .rounds(rounds)
        .roundTimeout(SimulationSetup.roundTimeout(c))
        .parallelism(c.integer("federation", "parallelism"))
        .seed(c.longValue("data", "seed"))
        .observer(RunObserver.all(new ConsoleReporter(err, rounds, interactive)));
    if (data.test() != null) {
      b.testData(data.test());
    }
    c.find("federation", "target_accuracy").ifPresent(t -> b.targetAccuracy(((Number) t).doubleValue()));
    Simulation sim = b.build();
    err.printf(Locale.ROOT, "data: %s train, %s test; kernel: %s%n", data.train(),
        data.test() == null ? "no" : data.test().size(), Kernels.describe());
    err.println(sim.partition().summary().format());
    RunResult result = sim.run();
    if (json) {
      out.println(RunSummary.write(RunSummary.toJson(result)));
    } else {
      out.printf(Locale.ROOT, "%d rounds in %.1f s, stopped: %s%n", result.rounds().size(), result.seconds(),
          result.stopReason().name().toLowerCase(Locale.ROOT));
      result.rounds().stream().filter(o -> o instanceof dev.cohort.server.RoundOutcome.Completed).reduce((a, z) -> z)
          .ifPresent(o -> out.println("final: " + ConsoleReporter.line(o, rounds)));
    }
    out.flush();
    return 0;
  }
}
