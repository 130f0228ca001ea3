package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.server.RunObserver;
import dev.cohort.server.RunResult;
import dev.cohort.sim.Simulation;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.train.TrainConfig;
import dev.cohort.data.partition.Partition;
import dev.cohort.server.RoundOutcome;
import dev.cohort.tensor.io.Safetensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.io.PrintWriter;
import java.util.Locale;
import dev.cohort.store.RunStore;
import dev.cohort.store.StoreException;

/** Runs a configured simulation with console reporting and prints its summary. */
final class SimRunner {
  private SimRunner() {}

  /**
   * Where a run is persisted: the store's URL, the run to resume (null for a new run) and the name of
   * a new run.
   */
  record Persistence(String url, Long resume, String name) {
    /** Persistence in {@code url}, naming a new run {@code name} or else after its config file. */
    static Persistence of(String url, Long resume, String name, Path config) {
      return new Persistence(url, resume, name != null ? name
          : config.getFileName().toString().replaceFirst("\\.toml$", ""));
    }
  }

  /** How the configured federation is run: over virtual clients, or over a network transport. */
  @FunctionalInterface
  interface Launch {
    RunResult launch(Simulation federation) throws InterruptedException;

    /** Observers the launch adds to the run's (metrics, structured logs); none by default. */
    default RunObserver observer() {
      return new RunObserver() {};
    }

    /** Virtual clients in this JVM. */
    Launch SIMULATE = Simulation::run;
  }

  static int run(Config c, boolean json, Path checkpoint, PrintWriter out, PrintStream err)
      throws InterruptedException {
    return run(c, json, checkpoint, out, err, null);
  }

  static int run(Config c, boolean json, Path checkpoint, PrintWriter out, PrintStream err, Persistence persistence)
      throws InterruptedException {
    return run(c, json, checkpoint, out, err, persistence, Launch.SIMULATE);
  }

  static int run(Config c, boolean json, Path checkpoint, PrintWriter out, PrintStream err, Persistence persistence,
      Launch launch) throws InterruptedException {
    SimulationSetup.Data data = SimulationSetup.data(c);
    TrainConfig training = SimulationSetup.training(c);
    int rounds = c.integer("federation", "rounds");
    Partition partition = SimulationSetup.partitioner(c).partition(data.train(), c.integer("data", "clients"),
        c.longValue("data", "seed"));
    if (persistence == null) {
      return run(c, json, checkpoint, out, err, data, training, rounds, partition, null, launch);
    }
    try (RunStore store = StoredRun.open(persistence.url())) {
      StoredRun stored = persistence.resume() == null
          ? StoredRun.create(store, persistence.name(), c.toToml(), c.longValue("data", "seed"))
          : StoredRun.resume(store, persistence.resume(), c.toToml());
      err.printf(Locale.ROOT, "store: run %d in %s, %s%n", stored.run().id(), store.url(),
          stored.lastRound() == 0 ? "new" : "resuming after round " + stored.lastRound());
      try {
        return run(c, json, checkpoint, out, err, data, training, rounds, partition, stored, launch);
      } catch (StoreException e) {
        throw new UserFacingException("store " + store.url() + ": " + e.getMessage() + "; the run stays running and "
            + "can be resumed with --resume " + stored.run().id(), 1);
      } catch (RuntimeException e) {
        stored.fail(String.valueOf(e.getMessage()));
        throw e;
      }
    }
  }

  private static int run(Config c, boolean json, Path checkpoint, PrintWriter out, PrintStream err,
      SimulationSetup.Data data, TrainConfig training, int rounds, Partition partition, StoredRun stored,
      Launch launch) throws InterruptedException {
    PrivacySetup.Layers privacy = PrivacySetup.layers(c, partition, training, err,
        stored == null ? null : stored.ledgerName());
    SecureAggregationSetup.Layer secure = SecureAggregationSetup.layer(c, privacy);
    java.util.List<dev.cohort.core.client.Mod> mods = secure.clientMods(privacy);
    dev.cohort.core.strategy.Strategy strategy = SimulationSetup.strategy(c, training, privacy);
    boolean interactive = System.console() != null && System.console().isTerminal();
    Simulation.Builder b = Simulation.builder()
        .trainData(data.train())
        .partition(partition)
        .model(SimulationSetup.model(c))
        .training(training)
        .strategy(strategy)
        .gate(privacy.gate())
        .mods(mods)
        .fitProtocol(secure.protocol())
        .rounds(rounds)
        .roundTimeout(SimulationSetup.roundTimeout(c))
        .quorum(SimulationSetup.quorum(c))
        .parallelism(c.integer("federation", "parallelism"))
        .seed(c.longValue("data", "seed"))
        .observer(stored == null ? RunObserver.all(new ConsoleReporter(err, rounds, interactive), launch.observer())
            : RunObserver.all(stored.observer(), new ConsoleReporter(err, rounds, interactive), launch.observer()));
    if (data.test() != null) {
      b.testData(data.test());
    }
    c.find("federation", "target_accuracy").ifPresent(t -> b.targetAccuracy(((Number) t).doubleValue()));
    Simulation sim = b.build();
    if (stored != null) {
      b.journal(stored.journal());
      Simulation fresh = sim;
      stored.resumeState(fresh::initialParameters,
          () -> strategy.aggregator().create(fresh.initialParameters().layout()).initialState(),
          privacy.gate()::state).ifPresent(b::resumeFrom);
      sim = b.build();
    }
    err.printf(Locale.ROOT, "data: %s train, %s test; kernel: %s%n", data.train(),
        data.test() == null ? "no" : data.test().size(), Kernels.describe());
    err.println(sim.partition().summary().format());
    err.println(privacy.summary());
    err.println(secure.summary());
    RunResult result = launch.launch(sim);
    if (stored != null) {
      stored.finish(result);
    }
    if (checkpoint != null) {
      writeCheckpoint(checkpoint, result, c, err);
    }
    if (json) {
      com.fasterxml.jackson.databind.node.ObjectNode summary = RunSummary.toJson(result);
      if (stored != null) {
        summary.put("run_id", stored.run().id());
      }
      out.println(RunSummary.write(summary));
    } else {
      out.printf(Locale.ROOT, "%d rounds in %.1f s, stopped: %s (%s)%n", result.rounds().size(), result.seconds(),
          result.stopReason().name().toLowerCase(Locale.ROOT), result.stopDetail());
      result.lastCompleted().ifPresent(o -> out.println("final: " + ConsoleReporter.line(o, rounds)));
    }
    out.flush();
    return 0;
  }

  /** Saves the final model with its provenance: the effective configuration and how the run ended. */
  private static void writeCheckpoint(Path file, RunResult result, Config c, PrintStream err) {
    Map<String, String> meta = new TreeMap<>();
    c.effective().forEach((k, v) -> meta.put("cohort.config." + k, String.valueOf(v)));
    meta.put("cohort.rounds_run", Integer.toString(result.rounds().size()));
    meta.put("cohort.stop_reason", result.stopReason().name().toLowerCase(Locale.ROOT));
    result.lastCompleted().flatMap(RoundOutcome.Completed::evaluation).ifPresent(e -> {
          meta.put("cohort.final_accuracy", Double.toString(e.accuracy()));
          meta.put("cohort.final_loss", Double.toString(e.loss()));
        });
    try {
      Safetensors.write(file, result.finalParameters(), meta);
    } catch (IOException e) {
      throw new UserFacingException("cannot write checkpoint " + file + ": " + e.getMessage(), 1);
    }
    err.println("checkpoint: " + file + " (" + result.finalParameters().size() + " parameters)");
  }
}
