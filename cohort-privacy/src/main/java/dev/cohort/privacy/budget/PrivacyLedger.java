package dev.cohort.privacy.budget;

import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.accounting.PoissonSampledGaussian;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.PrivacyEvent;
import dev.cohort.privacy.accounting.RenyiOrders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What every data holder has spent across runs: an append-only text file, one line per charge
 * ({@code holder<TAB>noise_multiplier<TAB>sampling_rate<TAB>steps}), flushed to disk before a round's
 * model is released, so that a holder's records are never trained on past its lifetime budget even
 * when runs crash. Lines that cannot be parsed are reported with their line number, never skipped.
 * Not thread-safe; one ledger per process.
 */
public final class PrivacyLedger {
  private static final String HEADER = "# cohort privacy ledger v1: holder, noise_multiplier, sampling_rate, steps";

  private final Path file;
  private final Map<String, List<PrivacyEvent>> spent = new LinkedHashMap<>();

  private PrivacyLedger(Path file) {
    this.file = file;
  }

  /** Opens (or starts) the ledger at {@code file}, reading every charge in it. */
  public static PrivacyLedger open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    PrivacyLedger ledger = new PrivacyLedger(file);
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        try {
          if (f.length != 4) {
            throw new IllegalArgumentException("expected 4 tab-separated fields but found " + f.length);
          }
          ledger.spent.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new PoissonSampledGaussian(
              Double.parseDouble(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3])));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
        }
      }
    }
    return ledger;
  }

  /** The accountant of everything {@code holder} has spent (empty if never charged). */
  public PrivacyAccountant spent(String holder, Conversion conversion) {
    return PrivacyAccountant.restore(spent.getOrDefault(holder, List.of()), RenyiOrders.DEFAULT, conversion);
  }

  /** The accountant of whichever of {@code holders} has spent the most at {@code delta}. */
  public PrivacyAccountant mostSpent(Collection<String> holders, Conversion conversion, double delta) {
    PrivacyAccountant worst = PrivacyAccountant.create(RenyiOrders.DEFAULT, conversion);
    double worstEpsilon = 0;
    for (String h : holders) {
      if (!spent.containsKey(h)) {
        continue;
      }
      PrivacyAccountant a = spent(h, conversion);
      double e = a.epsilon(delta).epsilon();
      if (e > worstEpsilon) {
        worst = a;
        worstEpsilon = e;
      }
    }
    return worst;
  }

  /** Charges {@code event} to each of {@code holders} and forces the ledger to disk. */
  public void charge(Collection<String> holders, PrivacyEvent event) {
    if (!(event instanceof PoissonSampledGaussian g)) {
      throw new IllegalArgumentException("the ledger records Poisson-sampled Gaussian events, not " + event);
    }
    StringBuilder sb = new StringBuilder();
    try {
      if (!Files.exists(file)) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        sb.append(HEADER).append('\n');
      }
      for (String h : holders) {
        if (h.contains("\t") || h.contains("\n")) {
          throw new IllegalArgumentException("holder name must not contain tabs or newlines: " + h);
        }
        sb.append(h).append('\t').append(fmt(g.noiseMultiplier())).append('\t').append(fmt(g.samplingRate()))
            .append('\t').append(g.steps()).append('\n');
        spent.computeIfAbsent(h, k -> new ArrayList<>()).add(g);
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE)) {
        ch.write(StandardCharsets.UTF_8.encode(sb.toString()));
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the privacy ledger " + file, e);
    }
  }

  private static String fmt(double d) {
    return Double.isInfinite(d) ? "Infinity" : String.format(Locale.ROOT, "%s", d);
  }

  public Path file() {
    return file;
  }
}
