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
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What every data holder has spent across runs: an append-only text file, one line per charge
 * ({@code holder<TAB>noise_multiplier<TAB>sampling_rate<TAB>steps[<TAB>run<TAB>round]}), flushed to
 * disk before a round's model is released, so that a holder's records are never trained on past
 * its lifetime budget even when runs crash. Lines that cannot be parsed are reported with their line
 * number, never skipped.
 *
 * <p>A charge made with {@link #charge(String, int, Collection, PrivacyEvent)} names its run and round,
 * and charging a holder again for the same run and round is a no-op: a run killed after its gate
 * charged a round but before the round was committed re-runs that round when resumed, and its
 * holders pay for it once. Lines of the first format (four fields, no run) are read as unkeyed
 * charges. Not thread-safe; one ledger per process.
 */
public final class PrivacyLedger {
  private static final String HEADER =
      "# cohort privacy ledger v2: holder, noise_multiplier, sampling_rate, steps[, run, round]";

  private final Path file;
  private final Map<String, List<PrivacyEvent>> spent = new LinkedHashMap<>();
  /** The run of each charge in {@link #spent}, null for unkeyed charges; same shape. */
  private final Map<String, List<String>> runs = new LinkedHashMap<>();
  private final Set<String> keyed = new HashSet<>();

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
          if (f.length != 4 && f.length != 6) {
            throw new IllegalArgumentException("expected 4 or 6 tab-separated fields but found " + f.length);
          }
          if (f.length == 6 && !ledger.keyed.add(key(f[0], f[4], Integer.parseInt(f[5])))) {
            continue; // a duplicate of an earlier charge for the same run and round
          }
          ledger.spent.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new PoissonSampledGaussian(
              Double.parseDouble(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3])));
          ledger.runs.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f.length == 6 ? f[4] : null);
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

  /**
   * What {@code holder} has spent in runs other than {@code run}: where a resumed run starts its
   * accountant before restoring its own spend from its checkpoint.
   */
  public PrivacyAccountant spentExcept(String holder, String run, Conversion conversion) {
    List<PrivacyEvent> events = spent.getOrDefault(holder, List.of());
    List<String> tags = runs.getOrDefault(holder, List.of());
    List<PrivacyEvent> kept = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (run == null || !run.equals(tags.get(i))) {
        kept.add(events.get(i));
      }
    }
    return PrivacyAccountant.restore(kept, RenyiOrders.DEFAULT, conversion);
  }

  /** The accountant of whichever of {@code holders} has spent the most at {@code delta}. */
  public PrivacyAccountant mostSpent(Collection<String> holders, Conversion conversion, double delta) {
    return mostSpentExcept(holders, null, conversion, delta);
  }

  /**
   * The accountant of whichever of {@code holders} has spent the most at {@code delta} in runs other
   * than {@code run} (all runs if it is null).
   */
  public PrivacyAccountant mostSpentExcept(Collection<String> holders, String run, Conversion conversion,
      double delta) {
    PrivacyAccountant worst = PrivacyAccountant.create(RenyiOrders.DEFAULT, conversion);
    double worstEpsilon = 0;
    for (String h : holders) {
      if (!spent.containsKey(h)) {
        continue;
      }
      PrivacyAccountant a = spentExcept(h, run, conversion);
      if (a.events().isEmpty()) {
        continue;
      }
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
    append(holders, event, null, 0);
  }

  /**
   * Charges {@code event} to each of {@code holders} for round {@code round} of run {@code run} and
   * forces the ledger to disk, skipping the holders already charged for that run and round.
   *
   * @param run a name for the run unique across the runs that share this ledger (no tabs or newlines)
   * @return how many holders were charged now
   */
  public int charge(String run, int round, Collection<String> holders, PrivacyEvent event) {
    Objects.requireNonNull(run, "run");
    if (run.isBlank() || run.contains("\t") || run.contains("\n")) {
      throw new IllegalArgumentException("run must be non-blank without tabs or newlines but was \"" + run + "\"");
    }
    if (round < 1) {
      throw new IllegalArgumentException("round must be >= 1 but was " + round);
    }
    List<String> due = new ArrayList<>();
    for (String h : holders) {
      if (!keyed.contains(key(h, run, round)) && !due.contains(h)) {
        due.add(h);
      }
    }
    if (!due.isEmpty()) {
      append(due, event, run, round);
      for (String h : due) {
        keyed.add(key(h, run, round));
      }
    }
    return due.size();
  }

  /** Whether {@code holder} was charged for round {@code round} of run {@code run}. */
  public boolean charged(String holder, String run, int round) {
    return keyed.contains(key(holder, run, round));
  }

  private static String key(String holder, String run, int round) {
    return holder + '\t' + run + '\t' + round;
  }

  private void append(Collection<String> holders, PrivacyEvent event, String run, int round) {
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
            .append('\t').append(g.steps());
        if (run != null) {
          sb.append('\t').append(run).append('\t').append(round);
        }
        sb.append('\n');
        spent.computeIfAbsent(h, k -> new ArrayList<>()).add(g);
        runs.computeIfAbsent(h, k -> new ArrayList<>()).add(run);
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
