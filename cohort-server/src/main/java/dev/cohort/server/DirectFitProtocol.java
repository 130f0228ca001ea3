package dev.cohort.server;

import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.aggregate.Contribution;
import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.round.FitChecks;
import dev.cohort.core.round.FitProtocol;
import dev.cohort.core.round.FitReport;
import dev.cohort.core.round.FitRequest;
import dev.cohort.core.round.FitSink;
import dev.cohort.core.strategy.Instruction;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.core.transport.ReplyListener;
import dev.cohort.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plain fit protocol: one exchange of the strategy's instructions; each valid update is folded
 * into the aggregation as it arrives, so memory stays O(model size). Invalid replies (wrong round
 * or client, wrong layout, NaN or infinite values, errors) are rejected with a reason and the round
 * goes on without them. With a {@linkplain FitRequest#quorum() quorum} the round closes as soon
 * as that many updates are folded in, and the clients still working are reported late. Stateless
 * and thread-safe.
 */
public final class DirectFitProtocol implements FitProtocol {
  /** The single instance. */
  public static final DirectFitProtocol INSTANCE = new DirectFitProtocol();

  private DirectFitProtocol() {}

  @Override
  public String describe() {
    return "direct";
  }

  @Override
  public FitReport collect(FitRequest request, Transport transport, FitSink sink) throws InterruptedException {
    List<Message> messages = new ArrayList<>(request.plan().size());
    for (Instruction i : request.plan()) {
      messages.add(Message.request(request.runId(), request.round(), i.client(), i.payload()));
    }
    Collector collector = new Collector(request, sink);
    transport.exchange(messages, request.stageTimeout(), collector);
    return new FitReport(collector.contributors, collector.failures, collector.meanLoss(), MetricRecord.empty(),
        Optional.empty());
  }

  /** Validates fit replies and folds the good ones into the sink. */
  private static final class Collector implements ReplyListener {
    private final FitRequest request;
    private final FitSink sink;
    private final List<ClientFailure> failures = new ArrayList<>();
    private int contributors;
    private double lossSum;
    private double lossWeight;

    Collector(FitRequest request, FitSink sink) {
      this.request = request;
      this.sink = sink;
    }

    @Override
    public void onReply(Message sent, Message reply) {
      ClientId client = sent.header().client();
      String problem = FitChecks.replyProblem(sent, reply, request.round());
      if (problem == null && !(reply.payload() instanceof FitResult)) {
        problem = "expected a fit result but got " + reply.payload().getClass().getSimpleName();
      }
      if (problem == null) {
        problem = FitChecks.updateProblem(request.global(), (FitResult) reply.payload());
      }
      if (problem != null) {
        fail(new ClientFailure(client,
            reply.payload() instanceof ErrorReply ? ClientFailure.Kind.CLIENT_ERROR : ClientFailure.Kind.REJECTED,
            problem));
        return;
      }
      FitResult fit = (FitResult) reply.payload();
      double weight = request.weight().applyAsDouble(fit);
      sink.add(new Contribution(client, fit.update(), weight));
      contributors++;
      double loss = fit.metrics().get("loss");
      if (Double.isFinite(loss)) {
        lossSum += loss * weight;
        lossWeight += weight;
      }
      sink.clientFinished(client, true);
    }

    @Override
    public void onFailure(Message sent, ClientFailure failure) {
      fail(failure);
    }

    private void fail(ClientFailure failure) {
      failures.add(failure);
      sink.clientFinished(failure.client(), false);
    }

    @Override
    public boolean closesEarly() {
      return request.quorum() > 0;
    }

    @Override
    public boolean enough() {
      return contributors >= request.quorum();
    }

    double meanLoss() {
      return lossWeight > 0 ? lossSum / lossWeight : Double.NaN;
    }
  }
}
