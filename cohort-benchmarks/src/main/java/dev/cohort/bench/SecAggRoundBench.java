package dev.cohort.bench;

import dev.cohort.client.TrainKeys;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.strategy.FedAvg;
import dev.cohort.data.Dataset;
import dev.cohort.data.FashionMnist;
import dev.cohort.data.Split;
import dev.cohort.data.partition.Partitioner;
import dev.cohort.secagg.protocol.SecAggMod;
import dev.cohort.secagg.protocol.SecAggSettings;
import dev.cohort.secagg.protocol.SecureFitProtocol;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunResult;
import dev.cohort.sim.Simulation;
import dev.cohort.train.ModelSpec;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.optim.OptimizerSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of secure aggregation in a whole simulated round: the demo federation (2NN on
 * Fashion-MNIST, 100 IID holders, 10 sampled per round, batch 32, central evaluation; one local epoch
 * by default)
 * with and without SecAgg+, runs alternating so that both see the same machine load. Reports the
 * median round time of each (the first round of every run, which warms the JIT, is left out).
 */
public final class SecAggRoundBench {
  private SecAggRoundBench() {}

  /** Median seconds per round of each kind, their ratio and the samples. */
  public record Result(double plainSeconds, double secureSeconds, List<Double> plain, List<Double> secure) {
    public double ratio() {
      return secureSeconds / plainSeconds;
    }
  }

  public static Result run(int rounds, int repeats, int epochs) throws IOException, InterruptedException {
    Dataset train = FashionMnist.load(FashionMnist.DEFAULT_DIR, Split.TRAIN);
    Dataset test = FashionMnist.load(FashionMnist.DEFAULT_DIR, Split.TEST);
    List<Double> plain = new ArrayList<>();
    List<Double> secure = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      plain.addAll(roundSeconds(simulate(train, test, rounds, epochs, false)));
      secure.addAll(roundSeconds(simulate(train, test, rounds, epochs, true)));
    }
    double[] p = plain.stream().mapToDouble(Double::doubleValue).toArray();
    double[] s = secure.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(Medians.median(p), Medians.median(s), plain, secure);
  }

  private static RunResult simulate(Dataset train, Dataset test, int rounds, int epochs, boolean secure)
      throws InterruptedException {
    TrainConfig training = TrainConfig.of(epochs, 32, OptimizerSpec.sgd(0.05));
    FedAvg strategy = FedAvg.builder().fraction(0.1).minClients(5)
        .clientConfig(ConfigRecord.builder().put(TrainKeys.TRAIN, training).build()).build();
    Simulation.Builder b = Simulation.builder().trainData(train).testData(test)
        .partitioner(Partitioner.iid()).clients(100).model(new ModelSpec("mlp", List.of(200, 200), "relu"))
        .training(training).strategy(strategy).rounds(rounds).seed(0);
    if (secure) {
      b.fitProtocol(new SecureFitProtocol(SecAggSettings.defaults())).mods(List.of(new SecAggMod()));
    }
    return b.build().run();
  }

  private static List<Double> roundSeconds(RunResult result) {
    List<Double> out = new ArrayList<>();
    for (RoundOutcome o : result.rounds()) {
      if (o.round() > 1) {
        out.add(o.seconds());
      }
    }
    return out;
  }
}
