package dev.cohort.core.strategy;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.aggregate.AggregatorFactory;
import dev.cohort.core.aggregate.Aggregators;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Payload;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.kernel.VectorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Federated averaging (McMahan et al., AISTATS 2017): each round a seeded fraction of clients
 * trains locally from the global model, and the global model moves by the mean of their updates
 * weighted by examples ({@code global += serverLearningRate * mean}; with rate 1 this is exactly
 * the weighted average of the clients' models). FedProx (Li et al., MLSys 2020) is the same
 * strategy with a proximal term {@code mu} sent in the client config.
 */
public final class FedAvg implements Strategy {
  private final ClientSampler sampler;
  private final ConfigRecord clientConfig;
  private final AggregatorFactory aggregator;
  private final float serverLearningRate;
  private final String name;
  private final double evaluateFraction;

  private FedAvg(Builder b) {
    this.sampler = b.poisson ? ClientSampler.poisson(b.fraction, b.minClients)
        : ClientSampler.fixed(b.fraction, b.minClients);
    this.clientConfig = b.clientConfig;
    this.aggregator = b.aggregator;
    this.serverLearningRate = b.serverLearningRate;
    this.name = b.name;
    this.evaluateFraction = b.evaluateFraction;
  }

  /** A builder with FedAvg's defaults: fraction 1, min 1 client, weighted mean, server rate 1. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Instruction> configureFit(RoundContext context, ParameterSet global, List<ClientId> available) {
    List<ClientId> chosen = sampler.sample(available, context.seed());
    return instructions(chosen, new FitInstruction(global, roundConfig(context)));
  }

  private ConfigRecord roundConfig(RoundContext context) {
    return clientConfig.toBuilder().put(RoundKeys.ROUND, context.round()).put(RoundKeys.SEED, context.seed()).build();
  }

  private static List<Instruction> instructions(List<ClientId> clients, Payload payload) {
    List<Instruction> out = new ArrayList<>(clients.size());
    for (ClientId c : clients) {
      out.add(new Instruction(c, payload));
    }
    return out;
  }

  @Override
  public List<Instruction> configureEvaluate(RoundContext context, ParameterSet global,
      List<ClientId> available) {
    if (evaluateFraction == 0 || available.isEmpty()) {
      return List.of();
    }
    List<ClientId> chosen = ClientSampler.fixed(evaluateFraction, 1)
        .sample(available, context.seed() ^ 0x5EED_E7A1L);
    return instructions(chosen, new EvaluateInstruction(global, roundConfig(context)));
  }

  @Override
  public AggregatorFactory aggregator() {
    return aggregator;
  }

  @Override
  public double weight(FitResult result) {
    return result.examples();
  }

  @Override
  public ParameterSet applyUpdate(RoundContext context, ParameterSet global, ParameterSet update) {
    global.layout().checkCompatible(update.layout(), "aggregated update");
    ParameterSet next = global.copy();
    VectorOps.sumInto(next.data(), update.data(), serverLearningRate);
    return next;
  }

  @Override
  public int minFitClients() {
    return sampler.minClients();
  }

  /** How clients are sampled each round. */
  public ClientSampler sampler() {
    return sampler;
  }

  /** Configures a {@link FedAvg}. Not thread-safe. */
  public static final class Builder {
    private double fraction = 1.0;
    private int minClients = 1;
    private ConfigRecord clientConfig = ConfigRecord.empty();
    private AggregatorFactory aggregator = Aggregators.weightedMean();
    private float serverLearningRate = 1f;
    private String name = "fedavg";
    private boolean poisson;
    private double evaluateFraction;

    private Builder() {}

    /**
     * Share of available clients asked to evaluate each new global model on their local data, in
     * [0, 1]; 0 (the default) turns federated evaluation off.
     */
    public Builder evaluateFraction(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("evaluate fraction must be in [0, 1] but was " + fraction);
      }
      this.evaluateFraction = fraction;
      return this;
    }

    /** Samples each client independently with probability {@code fraction} (for client-level DP). */
    public Builder poissonSampling(boolean poisson) {
      this.poisson = poisson;
      return this;
    }

    /** Share of available clients sampled per round, in (0, 1]. */
    public Builder fraction(double fraction) {
      this.fraction = fraction;
      return this;
    }

    /** Fewest clients sampled and fewest successful updates for a round to count. */
    public Builder minClients(int minClients) {
      this.minClients = minClients;
      return this;
    }

    /** Settings sent to every client with each fit instruction. */
    public Builder clientConfig(ConfigRecord config) {
      this.clientConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** How updates combine (default: mean weighted by examples). */
    public Builder aggregator(AggregatorFactory aggregator) {
      this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
      return this;
    }

    /** Step size applied to the aggregated update; 1 gives plain model averaging. */
    public Builder serverLearningRate(double rate) {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("server learning rate must be > 0 but was " + rate);
      }
      this.serverLearningRate = (float) rate;
      return this;
    }

    /** The name reported in logs ("fedavg", "fedprox"). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public FedAvg build() {
      ClientSampler.fixed(fraction, minClients); // validates
      return new FedAvg(this);
    }
  }
}
