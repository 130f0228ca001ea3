package dev.cohort.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.bench.AggregateBench;
import dev.cohort.bench.TrainBench;
import dev.cohort.tensor.kernel.Kernels;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cohort bench train|aggregate}: the throughput figures quoted in BENCHMARKS.md. */
@Command(name = "bench", description = "Measure training throughput and aggregation bandwidth.",
    subcommands = {BenchCommand.Train.class, BenchCommand.Aggregate.class, BenchCommand.DpSgd.class,
        BenchCommand.SecAgg.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a benchmark: train or aggregate");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Command(name = "train", description = "Local training samples/s on Fashion-MNIST (SGD lr 0.05).")
  static final class Train implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "mlp", description = "mlp (the 2NN), cnn or simple-cnn")
    String model;

    @Option(names = "--batch-size", defaultValue = "32", description = "mini-batch size")
    int batchSize;

    @Option(names = "--threads", defaultValue = "2", description = "intra-op threads (PyTorch baseline uses 2)")
    int threads;

    @Option(names = "--passes", defaultValue = "3", description = "timed passes (the median is reported)")
    int passes;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (batchSize < 1 || threads < 1 || passes < 1) {
        throw new IllegalArgumentException("--batch-size, --threads and --passes must be >= 1");
      }
      TrainBench.Result r = TrainBench.run(model, batchSize, threads, passes, TrainBench.Threading.KERNELS);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model).put("batch_size", batchSize).put("threads", threads)
            .put("samples_per_second", r.medianSamplesPerSecond()).put("kernel", Kernels.describe());
        out.println(o);
      } else {
        out.printf(Locale.ROOT, "%s batch %d, %d threads, %s: %.0f samples/s (median of %d passes)%n",
            model, batchSize, threads, Kernels.describe(), r.medianSamplesPerSecond(), passes);
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "dp-sgd", description = "DP-SGD throughput against plain SGD on the same model and batch.")
  static final class DpSgd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "mlp", description = "mlp (the 2NN), cnn or simple-cnn")
    String model;

    @Option(names = "--batch-size", defaultValue = "256", description = "(expected) batch size")
    int batchSize;

    @Option(names = "--threads", defaultValue = "2", description = "threads per model")
    int threads;

    @Option(names = "--passes", defaultValue = "3", description = "timed passes (medians are reported)")
    int passes;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
      if (batchSize < 1 || threads < 1 || passes < 1) {
        throw new IllegalArgumentException("--batch-size, --threads and --passes must be >= 1");
      }
      dev.cohort.bench.DpSgdBench.Result r = dev.cohort.bench.DpSgdBench.run(model, batchSize, threads, passes);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model).put("batch_size", batchSize).put("threads", threads)
            .put("plain_samples_per_second", r.plainSamplesPerSecond())
            .put("dp_samples_per_second", r.dpSamplesPerSecond())
            .put("overhead", r.overhead())
            .put("dp_kernel_threads", r.dpKernelThreads());
        out.println(o);
      } else {
        out.printf(Locale.ROOT, "%s batch %d: plain %.0f samples/s, DP-SGD %.0f samples/s, overhead %.2fx%n",
            model, batchSize, r.plainSamplesPerSecond(), r.dpSamplesPerSecond(), r.overhead());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "aggregate", description = "FedAvg aggregation bandwidth against a memory copy.")
  static final class Aggregate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--clients", defaultValue = "100", description = "updates per round")
    int clients;

    @Option(names = "--params", defaultValue = "1000000", description = "floats per update")
    int params;

    @Option(names = "--repeats", defaultValue = "7", description = "timed repeats (the median is reported)")
    int repeats;

    @Option(names = "--threads", defaultValue = "2", description = "aggregation threads (the copy ceiling uses as many)")
    int threads;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
      AggregateBench.Result r = AggregateBench.run(clients, params, repeats, threads);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("clients", clients).put("params", params)
            .put("gigabytes_per_second", r.gigabytesPerSecond())
            .put("copy_gigabytes_per_second", r.copyGigabytesPerSecond())
            .put("ratio_to_copy", r.ratio())
            .put("read_gigabytes_per_second", r.readGigabytesPerSecond())
            .put("ratio_to_read", r.gigabytesPerSecond() / r.readGigabytesPerSecond())
            .put("threads", threads)
            .put("seconds_per_round", r.medianSeconds());
        out.println(o);
      } else {
        out.printf(Locale.ROOT, "aggregate %d x %d floats: %.2f GB/s of updates (%.1f ms/round); "
            + "copy ceiling %.2f GB/s; ratio %.2f; pure read %.2f GB/s%n", clients, params, r.gigabytesPerSecond(),
            1000 * r.medianSeconds(), r.copyGigabytesPerSecond(), r.ratio(), r.readGigabytesPerSecond());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "secagg", description = "Client and server compute of one SecAgg+ round (median of rounds).")
  static final class SecAgg implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--clients", defaultValue = "100", description = "clients in the round")
    int clients;

    @Option(names = "--params", defaultValue = "100000", description = "elements per update")
    int params;

    @Option(names = "--dropout", defaultValue = "0.0", description = "share of clients that drop after sharing keys")
    double dropout;

    @Option(names = "--threads", defaultValue = "2", description = "server threads for unmasking")
    int threads;

    @Option(names = "--rounds", defaultValue = "3", description = "measured rounds after one warm-up")
    int rounds;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--round-overhead", description = "instead, time whole simulated Fashion-MNIST rounds "
        + "(the demo federation) with and without secure aggregation, alternating runs of --rounds rounds")
    boolean roundOverhead;

    @Option(names = "--repeats", defaultValue = "3", description = "with --round-overhead: runs of each kind")
    int repeats;

    @Option(names = "--epochs", defaultValue = "1", description = "with --round-overhead: local epochs per round")
    int epochs;

    @Override
    public Integer call() throws Exception {
      if (roundOverhead) {
        dev.cohort.bench.SecAggRoundBench.Result r = dev.cohort.bench.SecAggRoundBench.run(rounds, repeats, epochs);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          ObjectNode o = JSON.createObjectNode();
          o.put("plain_round_seconds", r.plainSeconds()).put("secure_round_seconds", r.secureSeconds())
              .put("ratio", r.ratio()).put("rounds", rounds).put("repeats", repeats).put("epochs", epochs)
              .put("x25519", dev.cohort.secagg.crypto.KeyAgreement.engine())
              .put("x25519_agreement_microseconds", dev.cohort.bench.KeyAgreementBench.microsPerAgreement(15));
          out.println(o);
        } else {
          out.printf(Locale.ROOT, "simulated round (2NN, 10 clients of 100, %d local epoch%s): plain %.3f s, secure %.3f s, "
              + "ratio %.2f (medians over %d runs of %d rounds each)%n", epochs, epochs == 1 ? "" : "s", r.plainSeconds(),
              r.secureSeconds(), r.ratio(), repeats, rounds);
        }
        out.flush();
        return 0;
      }
      if (clients < 2 || params < 1 || threads < 1 || rounds < 1 || !(dropout >= 0 && dropout < 0.5)) {
        throw new IllegalArgumentException("need --clients >= 2, --params, --threads, --rounds >= 1 and "
            + "--dropout in [0, 0.5) (more than half must survive)");
      }
      java.util.List<dev.cohort.bench.SecAggBench.Result> rs =
          dev.cohort.bench.SecAggBench.run(clients, params, dropout, threads, rounds);
      double client = dev.cohort.bench.SecAggBench.median(rs, dev.cohort.bench.SecAggBench.Result::clientSeconds);
      double clientMax = dev.cohort.bench.SecAggBench.median(rs, dev.cohort.bench.SecAggBench.Result::clientMaxSeconds);
      double server = dev.cohort.bench.SecAggBench.median(rs, dev.cohort.bench.SecAggBench.Result::serverSeconds);
      double unmask = dev.cohort.bench.SecAggBench.median(rs, dev.cohort.bench.SecAggBench.Result::unmaskSeconds);
      dev.cohort.bench.SecAggBench.Result first = rs.get(0);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("clients", clients).put("params", params).put("dropout", dropout).put("degree", first.degree())
            .put("threshold", first.threshold()).put("survivors", first.survivors())
            .put("client_seconds", client).put("client_max_seconds", clientMax).put("server_seconds", server)
            .put("unmask_seconds", unmask).put("masks_removed", first.masksRemoved()).put("server_threads", threads)
            .put("rounds", rounds).put("x25519", dev.cohort.secagg.crypto.KeyAgreement.engine())
            .put("x25519_agreement_microseconds", dev.cohort.bench.KeyAgreementBench.microsPerAgreement(15));
        out.println(o);
      } else {
        out.printf(Locale.ROOT, "%d clients, %d elements, %.0f%% dropout (degree %d, threshold %d): client %.4f s "
            + "(slowest %.4f s), server %.3f s (unmasking %.3f s, %d masks), median of %d rounds%n", clients, params,
            100 * dropout, first.degree(), first.threshold(), client, clientMax, server, unmask, first.masksRemoved(),
            rounds);
      }
      out.flush();
      return 0;
    }
  }
}
