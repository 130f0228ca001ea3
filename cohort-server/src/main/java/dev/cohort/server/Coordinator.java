package dev.cohort.server;

import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.aggregate.Accumulator;
import dev.cohort.core.aggregate.AggregationProcess;
import dev.cohort.core.aggregate.AggregationState;
import dev.cohort.core.aggregate.AggregationStep;
import dev.cohort.core.aggregate.Contribution;
import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.round.FitProtocol;
import dev.cohort.core.round.FitReport;
import dev.cohort.core.round.FitRequest;
import dev.cohort.core.round.FitSink;
import dev.cohort.core.message.Message;
import dev.cohort.core.strategy.Instruction;
import dev.cohort.core.strategy.RoundContext;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.core.strategy.Strategy;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.core.transport.Transport;
import dev.cohort.tensor.ParameterSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs a federation on the server side: the round loop over a {@link Transport}, driven by a
 * {@link Strategy}. Each round: configure, send, fold valid replies into the strategy's
 * aggregation as they arrive (memory O(model size) for linear aggregations), apply the aggregate,
 * evaluate centrally, and report a {@link RoundOutcome}. Invalid replies (wrong layout, NaN or
 * infinite values, wrong round, errors) are rejected with a reason and the round goes on without
 * them. A run stops after the planned rounds or when the target accuracy is reached.
 *
 * <p>Durability: a {@link RunJournal} is told of every round as it ends, with the {@link RunState}
 * (global model, aggregation state, gate state) the next round starts from, before observers hear of
 * it; {@link Builder#resumeFrom} continues a run from such a state. Round seeds depend only on the
 * run seed and the round number, so a resumed run reproduces the uninterrupted one.
 *
 * <p>Not thread-safe; {@link #run()} once per instance.
 */
public final class Coordinator {
  private final String runId;
  private final Transport transport;
  private final Strategy strategy;
  private final ParameterSet initialParameters;
  private final int rounds;
  private final Duration roundTimeout;
  private final int quorum;
  private final CentralEvaluator evaluator;
  private final OptionalDouble targetAccuracy;
  private final RunObserver observer;
  private final long seed;
  private final RoundGate gate;
  private final FitProtocol fitProtocol;
  private final RunJournal journal;
  private final RunState resumeFrom;

  private Coordinator(Builder b) {
    this.runId = b.runId;
    this.transport = Objects.requireNonNull(b.transport, "transport is required");
    this.strategy = Objects.requireNonNull(b.strategy, "strategy is required");
    this.initialParameters = Objects.requireNonNull(b.initialParameters, "initialParameters is required");
    this.rounds = b.rounds;
    this.roundTimeout = b.roundTimeout;
    this.quorum = b.quorum;
    this.evaluator = b.evaluator;
    this.targetAccuracy = b.targetAccuracy;
    this.observer = b.observer;
    this.seed = b.seed;
    this.gate = b.gate;
    this.fitProtocol = b.fitProtocol;
    this.journal = b.journal;
    this.resumeFrom = b.resumeFrom;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every round (from the resumed state's next round, if resuming) and returns the result;
   * the initial parameters are not modified. The result lists the rounds this call ran.
   */
  public RunResult run() throws InterruptedException {
    long start = System.nanoTime();
    ParameterSet global = resumeFrom == null ? initialParameters.copy() : resumeFrom.global().copy();
    AggregationProcess process = strategy.aggregator().create(global.layout());
    AggregationState state = process.initialState();
    int first = 1;
    if (resumeFrom != null) {
      state = resumeFrom.aggregation();
      gate.restore(resumeFrom.gate());
      first = resumeFrom.nextRound();
    }
    List<RoundOutcome> outcomes = new ArrayList<>();
    RunResult.StopReason reason = RunResult.StopReason.ROUNDS_DONE;
    String detail = "ran all " + rounds + " rounds";
    for (int round = first; round <= rounds; round++) {
      Optional<String> refusal = gate.refuse(round);
      if (refusal.isPresent()) {
        reason = RunResult.StopReason.REFUSED;
        detail = "stopped before round " + round + ": " + refusal.get();
        break;
      }
      RoundContext context = new RoundContext(round, rounds, roundSeed(round));
      RoundRun r = runRound(context, process, state, global);
      if (r.outcome instanceof RoundOutcome.Completed) {
        state = r.state;
        global = r.global;
      }
      journal.roundEnded(r.outcome, new RunState(round, global, state, gate.state()));
      outcomes.add(r.outcome);
      observer.roundEnded(r.outcome);
      if (r.outcome instanceof RoundOutcome.Completed c && targetAccuracy.isPresent()
          && c.evaluation().isPresent() && c.evaluation().get().accuracy() >= targetAccuracy.getAsDouble()) {
        reason = RunResult.StopReason.TARGET_REACHED;
        detail = "accuracy " + c.evaluation().get().accuracy() + " reached the target "
            + targetAccuracy.getAsDouble() + " in round " + round;
        break;
      }
    }
    RunResult result = new RunResult(outcomes, global, reason, detail, seconds(start));
    observer.runEnded(result);
    return result;
  }

  private long roundSeed(int round) {
    return seed * 0x9E3779B97F4A7C15L + round;
  }

  private record RoundRun(RoundOutcome outcome, AggregationState state, ParameterSet global) {}

  private RoundRun runRound(RoundContext context, AggregationProcess process, AggregationState state,
      ParameterSet global) throws InterruptedException {
    long start = System.nanoTime();
    int round = context.round();
    List<ClientId> available = transport.availableClients();
    if (available.size() < strategy.minFitClients()) {
      return new RoundRun(new RoundOutcome.Skipped(round, "only " + available.size()
          + " clients available; min_clients is " + strategy.minFitClients(), seconds(start)), state, global);
    }
    List<Instruction> plan = strategy.configureFit(context, global, available);
    if (plan.isEmpty()) {
      return new RoundRun(new RoundOutcome.Skipped(round, "the strategy selected no clients", seconds(start)),
          state, global);
    }
    observer.roundStarted(round, plan.size());
    Accumulator accumulator = process.begin(state);
    FitRequest request = new FitRequest(runId, context, global, plan, strategy::weight, roundTimeout, quorum);
    FitReport report = fitProtocol.collect(request, transport, new FitSink() {
      @Override
      public void add(Contribution contribution) {
        accumulator.add(contribution);
      }

      @Override
      public void clientFinished(ClientId client, boolean success) {
        observer.clientFinished(round, client, success);
      }
    });
    if (report.abort().isPresent()) {
      return new RoundRun(new RoundOutcome.Aborted(round, report.abort().get(), report.failures(), seconds(start)),
          state, global);
    }
    int contributors = report.contributors();
    if (contributors < strategy.minFitClients()) {
      return new RoundRun(new RoundOutcome.Aborted(round, contributors + " of " + plan.size()
          + " clients returned usable updates; min_clients is " + strategy.minFitClients(),
          report.failures(), seconds(start)), state, global);
    }
    AggregationStep step = accumulator.finish();
    ParameterSet next = strategy.applyUpdate(context, global, step.result());
    int bad = next.firstNonFinite();
    if (bad >= 0) {
      return new RoundRun(new RoundOutcome.Aborted(round, "the aggregated model has a non-finite value in "
          + next.nameAt(bad) + "; the round was discarded", report.failures(), seconds(start)), state, global);
    }
    Optional<ModelEvaluation> evaluation = evaluator == null ? Optional.empty()
        : Optional.of(evaluator.evaluate(next));
    MetricRecord measurements = step.measurements();
    for (var e : report.measurements().values().entrySet()) {
      measurements = measurements.with(e.getKey(), e.getValue());
    }
    for (var e : gate.completed(round, measurements).values().entrySet()) {
      measurements = measurements.with(e.getKey(), e.getValue());
    }
    List<ClientFailure> failures = new ArrayList<>(report.failures());
    Optional<ModelEvaluation> federated = federatedEvaluation(context, next, failures);
    RoundOutcome outcome = new RoundOutcome.Completed(round, plan.size(), contributors,
        failures, report.trainLoss(), evaluation, federated, measurements, seconds(start));
    return new RoundRun(outcome, step.state(), next);
  }

  /** Asks the strategy's evaluators to score {@code global} on their data; failures are recorded, not fatal. */
  private Optional<ModelEvaluation> federatedEvaluation(RoundContext context, ParameterSet global,
      List<ClientFailure> failures) throws InterruptedException {
    List<Instruction> plan = strategy.configureEvaluate(context, global, transport.availableClients());
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    List<Message> requests = new ArrayList<>(plan.size());
    for (Instruction i : plan) {
      requests.add(Message.request(runId, context.round(), i.client(), i.payload()));
    }
    List<EvaluateResult> results = new ArrayList<>();
    transport.exchange(requests, roundTimeout, new ReplyListener() {
      @Override
      public void onReply(Message request, Message reply) {
        ClientId client = request.header().client();
        if (reply.header().replyTo() != request.header().messageId()) {
          failures.add(new ClientFailure(client, ClientFailure.Kind.REJECTED, "evaluate: reply is for another request"));
        } else if (reply.payload() instanceof EvaluateResult r && Double.isFinite(r.loss())) {
          results.add(r);
        } else if (reply.payload() instanceof ErrorReply e) {
          failures.add(new ClientFailure(client, ClientFailure.Kind.CLIENT_ERROR, "evaluate: " + e.code() + ": " + e.reason()));
        } else {
          failures.add(new ClientFailure(client, ClientFailure.Kind.REJECTED,
              "evaluate: expected a finite evaluation but got " + reply.payload()));
        }
      }

      @Override
      public void onFailure(Message request, ClientFailure failure) {
        failures.add(new ClientFailure(failure.client(), failure.kind(), "evaluate: " + failure.reason()));
      }
    });
    return strategy.aggregateEvaluate(results);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Configures a {@link Coordinator}. Not thread-safe. */
  public static final class Builder {
    private String runId = "run";
    private Transport transport;
    private Strategy strategy;
    private ParameterSet initialParameters;
    private int rounds = 1;
    private Duration roundTimeout = Duration.ofHours(1);
    private int quorum;
    private CentralEvaluator evaluator;
    private OptionalDouble targetAccuracy = OptionalDouble.empty();
    private RunObserver observer = new RunObserver() {};
    private long seed;
    private RoundGate gate = RoundGate.OPEN;
    private FitProtocol fitProtocol = DirectFitProtocol.INSTANCE;
    private RunJournal journal = RunJournal.NONE;
    private RunState resumeFrom;

    private Builder() {}

    /** Records every round durably as it ends; the default records nothing. */
    public Builder journal(RunJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Continues a run from {@code state} (read back from a {@link RunJournal}'s record): the first
     * round run is {@code state.nextRound()}, with its global model, aggregation state and gate
     * state; {@link #initialParameters} is then only used for its layout check. The builder's other
     * settings (seed, rounds, strategy, gate) must be those of the interrupted run for the resumed run
     * to reproduce it.
     *
     * @throws IllegalStateException if a resume state was already set
     */
    public Builder resumeFrom(RunState state) {
      Objects.requireNonNull(state, "state");
      if (resumeFrom != null) {
        throw new IllegalStateException("resumeFrom was already set to round " + resumeFrom.lastRound());
      }
      this.resumeFrom = state;
      return this;
    }

    /**
     * How each round's updates are collected: {@link DirectFitProtocol} (the default) or a
     * multi-stage protocol such as secure aggregation.
     */
    public Builder fitProtocol(FitProtocol protocol) {
      this.fitProtocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /** A check before every round (a privacy budget); the default admits every round. */
    public Builder gate(RoundGate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    public Builder strategy(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** The global model before round 1 (copied, not modified). */
    public Builder initialParameters(ParameterSet parameters) {
      this.initialParameters = Objects.requireNonNull(parameters, "parameters");
      return this;
    }

    /** How many rounds to run, >= 1. */
    public Builder rounds(int rounds) {
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds must be >= 1 but was " + rounds);
      }
      this.rounds = rounds;
      return this;
    }

    /** How long a round waits for replies before counting the rest as timed out. */
    public Builder roundTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("round timeout must be > 0 but was " + timeout);
      }
      this.roundTimeout = timeout;
      return this;
    }

    /**
     * Closes a round as soon as {@code quorum} clients have returned usable updates, reporting
     * those still working as late, instead of waiting for every sampled client or the timeout
     * (0, the default). Which clients make the quorum depends on timing, so such runs are not
     * reproducible; a protocol with a threshold of its own (secure aggregation) does not take one.
     */
    public Builder quorum(int quorum) {
      if (quorum < 0) {
        throw new IllegalArgumentException("quorum must be >= 0 but was " + quorum);
      }
      this.quorum = quorum;
      return this;
    }

    /** Evaluates each new global model centrally. */
    public Builder evaluator(CentralEvaluator evaluator) {
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      return this;
    }

    /** Stops the run once central accuracy reaches {@code accuracy}, in (0, 1]. */
    public Builder targetAccuracy(double accuracy) {
      if (!(accuracy > 0 && accuracy <= 1)) {
        throw new IllegalArgumentException("target accuracy must be in (0, 1] but was " + accuracy);
      }
      this.targetAccuracy = OptionalDouble.of(accuracy);
      return this;
    }

    public Builder observer(RunObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /** The run seed; client sampling and local training seeds derive from it. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Coordinator build() {
      if (targetAccuracy.isPresent() && evaluator == null) {
        throw new IllegalStateException("a target accuracy needs a central evaluator");
      }
      if (fitProtocol.requiresLinearAggregation() && strategy != null
          && !(strategy.aggregator() instanceof dev.cohort.core.aggregate.LinearAggregatorFactory)) {
        throw new IllegalStateException("the " + fitProtocol.describe() + " protocol delivers only sums, so it needs "
            + "a linear aggregation, not " + strategy.aggregator().describe());
      }
      if (quorum > 0 && fitProtocol != DirectFitProtocol.INSTANCE) {
        throw new IllegalStateException("a round quorum closes plain rounds early; the " + fitProtocol.describe()
            + " protocol ends its rounds by its own threshold");
      }
      if (quorum > 0 && strategy != null && quorum < strategy.minFitClients()) {
        throw new IllegalStateException("the round quorum (" + quorum + ") is below min_clients ("
            + strategy.minFitClients() + "), so rounds would close too early to complete");
      }
      if (resumeFrom != null && initialParameters != null
          && !resumeFrom.global().layout().equals(initialParameters.layout())) {
        throw new IllegalStateException("the resumed global model's layout " + resumeFrom.global().layout()
            + " differs from the initial parameters' " + initialParameters.layout());
      }
      return new Coordinator(this);
    }
  }
}
