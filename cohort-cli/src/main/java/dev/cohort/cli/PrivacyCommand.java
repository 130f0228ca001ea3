package dev.cohort.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.accounting.EpsilonBound;
import dev.cohort.privacy.accounting.NoiseCalibration;
import dev.cohort.privacy.accounting.PoissonSampledGaussian;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.RenyiOrders;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cohort privacy epsilon|noise}: the RDP accountant for DP-SGD on the command line
 * (Poisson-subsampled Gaussian, add-or-remove adjacency, TensorFlow Privacy's default orders).
 * Invalid values raise {@link IllegalArgumentException} naming the flag, which the CLI reports
 * with exit code 2.
 */
@Command(name = "privacy", description = "Privacy accounting for DP-SGD: epsilon from noise, noise from epsilon.",
    subcommands = {PrivacyCommand.Epsilon.class, PrivacyCommand.Noise.class})
final class PrivacyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a computation: epsilon or noise");
  }

  @Command(name = "epsilon", description = "Epsilon spent by T steps at noise multiplier Z and sample rate Q.")
  static final class Epsilon implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--noise-multiplier", required = true, description = "noise standard deviation over the clipping norm (> 0)")
    double noiseMultiplier;

    @Option(names = "--sample-rate", required = true, description = "Poisson sampling rate q, in (0, 1]")
    double sampleRate;

    @Option(names = "--steps", required = true, description = "number of noisy steps or rounds (>= 1)")
    long steps;

    @Option(names = "--delta", required = true, description = "target delta, in (0, 1)")
    double delta;

    @Option(names = "--conversion", defaultValue = "improved",
        description = "RDP to (epsilon, delta): improved (Balle et al. 2020) or classic (Mironov 2017)")
    String conversion;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
      requirePositive("--noise-multiplier", noiseMultiplier);
      requireRate(sampleRate);
      requireSteps(steps);
      requireDelta(delta);
      Conversion c = parseConversion(conversion);
      EpsilonBound e = PrivacyAccountant.create(RenyiOrders.DEFAULT, c)
          .spend(new PoissonSampledGaussian(noiseMultiplier, sampleRate, steps))
          .epsilon(delta);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        putNumber(o, "epsilon", e.epsilon());
        o.put("order", e.order()).put("conversion", c.label());
        out.println(o);
      } else {
        out.printf(Locale.ROOT, "epsilon %s at delta %s (RDP order %s, %s conversion; noise multiplier %s,"
            + " sample rate %s, %d steps)%n", format(e.epsilon()), delta, format(e.order()), c.label(),
            noiseMultiplier, sampleRate, steps);
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "noise", description = "Smallest noise multiplier that keeps T steps at sample rate Q within (E, D).")
  static final class Noise implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--epsilon", required = true, description = "target epsilon (> 0)")
    double epsilon;

    @Option(names = "--delta", required = true, description = "target delta, in (0, 1)")
    double delta;

    @Option(names = "--sample-rate", required = true, description = "Poisson sampling rate q, in (0, 1]")
    double sampleRate;

    @Option(names = "--steps", required = true, description = "number of noisy steps or rounds (>= 1)")
    long steps;

    @Option(names = "--conversion", defaultValue = "improved",
        description = "RDP to (epsilon, delta): improved (Balle et al. 2020) or classic (Mironov 2017)")
    String conversion;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
      requirePositive("--epsilon", epsilon);
      requireDelta(delta);
      requireRate(sampleRate);
      requireSteps(steps);
      Conversion c = parseConversion(conversion);
      double sigma = NoiseCalibration.noiseMultiplier(epsilon, delta, sampleRate, steps, c, RenyiOrders.DEFAULT);
      double spent = PrivacyAccountant.create(RenyiOrders.DEFAULT, c)
          .spend(new PoissonSampledGaussian(sigma, sampleRate, steps)).epsilon(delta).epsilon();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("noise_multiplier", sigma).put("epsilon", spent).put("conversion", c.label());
        out.println(o);
      } else {
        out.printf(Locale.ROOT, "noise multiplier %s for epsilon %s at delta %s (%s conversion; sample rate %s,"
            + " %d steps; spends epsilon %s)%n", format(sigma), epsilon, delta, c.label(), sampleRate, steps,
            format(spent));
      }
      out.flush();
      return 0;
    }
  }

  private static void requirePositive(String flag, double value) {
    if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(flag + " must be finite and > 0 but was " + value);
    }
  }

  private static void requireRate(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("--sample-rate must be in (0, 1] but was " + q);
    }
  }

  private static void requireSteps(long steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("--steps must be >= 1 but was " + steps);
    }
  }

  private static void requireDelta(double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("--delta must be in (0, 1) but was " + delta);
    }
  }

  private static Conversion parseConversion(String value) {
    try {
      return Conversion.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--conversion must be improved or classic but was " + value, e);
    }
  }

  /** JSON has no infinity: an unbounded epsilon is written as null. */
  private static void putNumber(ObjectNode o, String name, double value) {
    if (Double.isFinite(value)) {
      o.put(name, value);
    } else {
      o.putNull(name);
    }
  }

  /** Six significant digits without trailing zeros: 0.724223, 19, 1.3. */
  private static String format(double value) {
    if (!Double.isFinite(value)) {
      return "infinity";
    }
    return new BigDecimal(String.format(Locale.ROOT, "%.6g", value)).stripTrailingZeros().toPlainString();
  }
}
