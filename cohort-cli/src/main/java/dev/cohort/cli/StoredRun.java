package dev.cohort.cli;

import dev.cohort.core.ClientId;
import dev.cohort.core.aggregate.AggregationState;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.privacy.state.StateCodec;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunJournal;
import dev.cohort.server.RunObserver;
import dev.cohort.server.RunResult;
import dev.cohort.server.RunState;
import dev.cohort.store.Checkpoint;
import dev.cohort.store.Participant;
import dev.cohort.store.Payload;
import dev.cohort.store.ResumePoint;
import dev.cohort.store.RoundRecord;
import dev.cohort.store.Run;
import dev.cohort.store.RunStatus;
import dev.cohort.store.RunStore;
import dev.cohort.store.StoreException;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.io.Safetensors;
import dev.cohort.tensor.io.SafetensorsFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A simulation's run in a {@link RunStore}: created (or found again to resume), then told of every
 * round through its {@link #journal()}, which commits the round's record, participants, and a
 * checkpoint of the global model (safetensors bytes), the aggregation state and the privacy gate's
 * state in one transaction, before the run goes on. Not thread-safe; the coordinator's thread
 * drives it.
 */
final class StoredRun implements AutoCloseable {
  private final RunStore store;
  private final Run run;
  private final ResumePoint resume;
  private final Map<String, Boolean> finished = new LinkedHashMap<>();

  private StoredRun(RunStore store, Run run, ResumePoint resume) {
    this.store = store;
    this.run = run;
    this.resume = resume;
  }

  /** Opens {@code url}; a bad URL or an unreachable database is a usage error (exit 2). */
  static RunStore open(String url) {
    try {
      return RunStore.open(url);
    } catch (IllegalArgumentException | StoreException e) {
      throw new UserFacingException("store " + url.replaceAll("password=[^&]*", "password=***") + ": "
          + e.getMessage(), 2);
    }
  }

  /** A new run named {@code name} with the effective configuration {@code toml} and seed. */
  static StoredRun create(RunStore store, String name, String toml, long seed) {
    Run run = store.createRun(name, toml, seed);
    return new StoredRun(store, run, store.resume(run.id()));
  }

  /**
   * Run {@code runId} of {@code store}, to be continued.
   *
   * @throws UserFacingException (exit 2) if the run is unknown, finished, or was configured differently
   */
  static StoredRun resume(RunStore store, long runId, String toml) {
    Run run = store.run(runId).orElseThrow(() -> new UserFacingException("run " + runId + " is not in the store "
        + store.url() + " (cohort runs show --store " + store.url() + " lists its runs)", 2));
    if (run.status().isFinished()) {
      throw new UserFacingException("run " + runId + " is " + run.status().name().toLowerCase(Locale.ROOT)
          + run.stopReason().map(r -> " (" + r + ")").orElse("") + "; only a running run can be resumed", 2);
    }
    String difference = difference(run.config(), toml);
    if (difference != null) {
      throw new UserFacingException("run " + runId + " was started with a different configuration: " + difference
          + "; resume it with the configuration it was started with", 2);
    }
    return new StoredRun(store, run, store.resume(runId));
  }

  /** The first setting that differs between two effective configurations, or null if they are equal. */
  static String difference(String stored, String now) {
    if (stored.equals(now)) {
      return null;
    }
    Map<String, String> was = keyed(stored);
    Map<String, String> is = keyed(now);
    for (String key : is.keySet()) {
      if (!is.get(key).equals(was.get(key))) {
        return key + " = " + Optional.ofNullable(was.get(key)).orElse("(unset)") + " then, " + is.get(key) + " now";
      }
    }
    for (String key : was.keySet()) {
      if (!is.containsKey(key)) {
        return key + " = " + was.get(key) + " then, unset now";
      }
    }
    return "the stored text differs in layout";
  }

  private static Map<String, String> keyed(String toml) {
    Map<String, String> out = new LinkedHashMap<>();
    String section = "";
    for (String line : toml.lines().toList()) {
      if (line.startsWith("[")) {
        section = line.substring(1, line.indexOf(']'));
      } else if (line.contains(" = ")) {
        int eq = line.indexOf(" = ");
        out.put(section + "." + line.substring(0, eq), line.substring(eq + 3));
      }
    }
    return out;
  }

  Run run() {
    return run;
  }

  /** How the run is named in the privacy ledger: unique across stores and runs. */
  String ledgerName() {
    return store.url() + "#run-" + run.id();
  }

  /** The last round the store holds, 0 for a new run. */
  int lastRound() {
    return resume.lastRound();
  }

  /**
   * The state to resume from, if any round was committed. When only skipped or aborted rounds were,
   * the run continues from {@code initial} states (the model before round 1, fresh aggregation and gate
   * states).
   */
  Optional<RunState> resumeState(Supplier<ParameterSet> initialModel, Supplier<AggregationState> initialAggregation,
      Supplier<RoundGate.State> initialGate) {
    if (resume.lastRound() == 0) {
      return Optional.empty();
    }
    if (resume.checkpoint().isEmpty()) {
      return Optional.of(new RunState(resume.lastRound(), initialModel.get(), initialAggregation.get(),
          initialGate.get()));
    }
    Checkpoint cp = resume.checkpoint().get();
    String where = "run " + run.id() + ", checkpoint of round " + resume.checkpointRound();
    try {
      ParameterSet global = Safetensors.fromBytes(cp.model().toByteArray()).parameters();
      return Optional.of(new RunState(resume.lastRound(), global,
          StateCodec.decodeAggregation(cp.strategyState().toByteArray()),
          StateCodec.decodeGate(cp.accountantState().toByteArray())));
    } catch (SafetensorsFormatException | IllegalArgumentException e) {
      throw new UserFacingException(where + " cannot be read: " + e.getMessage(), 1);
    }
  }

  /** Collects each round's participants for the journal. */
  RunObserver observer() {
    return new RunObserver() {
      @Override
      public void clientFinished(int round, ClientId client, boolean success) {
        finished.putIfAbsent(client.value(), success);
      }
    };
  }

  /** Commits each round as it ends. */
  RunJournal journal() {
    return (outcome, after) -> {
      try {
        RoundRecord record = record(outcome);
        if (outcome instanceof RoundOutcome.Completed) {
          store.commitRound(run.id(), record, new Checkpoint(
              Payload.of(Safetensors.toBytes(after.global(), Map.of())),
              Payload.of(StateCodec.encode(after.aggregation())),
              Payload.of(StateCodec.encode(after.gate()))));
        } else {
          store.commitRound(run.id(), record);
        }
      } finally {
        finished.clear();
      }
    };
  }

  private RoundRecord record(RoundOutcome outcome) {
    RoundRecord.Builder b;
    List<ClientFailure> failures;
    switch (outcome) {
      case RoundOutcome.Completed c -> {
        b = RoundRecord.completed(c.round());
        failures = c.failures();
        c.evaluation().or(c::federatedEvaluation).ifPresent(e -> b.accuracy(e.accuracy()).loss(e.loss()));
        if (c.evaluation().isEmpty() && c.federatedEvaluation().isEmpty() && Double.isFinite(c.trainLoss())) {
          b.loss(c.trainLoss());
        }
        b.measurement("train_loss", c.trainLoss()).measurement("sampled", c.sampled());
        c.measurements().values().forEach(b::measurement);
        Double epsilon = c.measurements().values().get("privacy.epsilon");
        Double delta = c.measurements().values().get("privacy.delta");
        if (epsilon != null && delta != null && Double.isFinite(epsilon)) {
          b.privacySpent(epsilon, delta);
        }
      }
      case RoundOutcome.Skipped s -> {
        b = RoundRecord.skipped(s.round(), s.reason());
        failures = List.of();
      }
      case RoundOutcome.Aborted a -> {
        b = RoundRecord.aborted(a.round(), a.cause());
        failures = a.failures();
      }
    }
    b.seconds(outcome.seconds());
    Map<String, Participant> participants = new LinkedHashMap<>();
    for (var e : finished.entrySet()) {
      if (e.getValue()) {
        participants.put(e.getKey(), Participant.contributed(e.getKey()));
      }
    }
    for (ClientFailure f : failures) {
      participants.putIfAbsent(f.client().value(), Participant.failed(f.client().value(),
          f.kind().name().toLowerCase(Locale.ROOT), f.reason()));
    }
    for (var e : finished.entrySet()) {
      participants.putIfAbsent(e.getKey(), Participant.failed(e.getKey(), "failed", "no reason recorded"));
    }
    return b.participants(List.copyOf(participants.values())).build();
  }

  /** Marks the run finished with how {@code result} ended. */
  void finish(RunResult result) {
    RunStatus status = result.stopReason() == RunResult.StopReason.REFUSED ? RunStatus.STOPPED : RunStatus.COMPLETED;
    store.finishRun(run.id(), status, result.stopDetail());
  }

  /** Marks the run failed (it cannot be resumed). */
  void fail(String reason) {
    try {
      if (!store.run(run.id()).orElseThrow().status().isFinished()) {
        store.finishRun(run.id(), RunStatus.FAILED, reason);
      }
    } catch (RuntimeException e) {
      // The store itself failed; the run stays running and can be resumed.
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
