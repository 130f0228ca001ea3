package dev.cohort.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * What {@code cohort runs show --store URL [--json]} prints: the runs in a store, or one run's
 * rounds (number, outcome, accuracy, loss, participants, privacy) and the privacy spent, as a text
 * table or as JSON. Stateless and thread-safe.
 */
public final class RunHistoryFormat {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunHistoryFormat() {}

  /* --- text --- */

  /** A table of {@code runs}, one line each, under a header. */
  public static String runsText(List<Run> runs) {
    if (runs.isEmpty()) {
      return "no runs\n";
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%5s  %-10s  %-20s  %-20s  %s%n",
        "id", "status", "created", "updated", "name"));
    for (Run r : runs) {
      out.append(String.format(Locale.ROOT, "%5d  %-10s  %-20s  %-20s  %s%s%n", r.id(), code(r.status()),
          r.createdAt().toString(), r.updatedAt().toString(), r.name(),
          r.stopReason().map(s -> " (" + s + ")").orElse("")));
    }
    return out.toString();
  }

  /** A run's summary line, its rounds as a table, and the privacy spent. */
  public static String historyText(RunHistory history) {
    Run run = history.run();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "run %d \"%s\": %s%s, seed %d, created %s, updated %s%n", run.id(),
        run.name(), code(run.status()), run.stopReason().map(s -> " (" + s + ")").orElse(""), run.seed(),
        run.createdAt(), run.updatedAt()));
    if (history.rounds().isEmpty()) {
      out.append("no rounds committed\n");
    } else {
      out.append(String.format(Locale.ROOT, "%5s  %-9s  %8s  %8s  %12s  %9s  %9s  %8s  %s%n", "round", "outcome",
          "accuracy", "loss", "participants", "epsilon", "delta", "seconds", "notes"));
      for (RoundRecord r : history.rounds()) {
        out.append(String.format(Locale.ROOT, "%5d  %-9s  %8s  %8s  %12s  %9s  %9s  %8.1f  %s%n", r.number(),
            r.outcome().name().toLowerCase(Locale.ROOT), fixed(r.accuracy()), fixed(r.loss()),
            r.contributors() + "/" + r.participants().size(),
            r.privacySpent().map(p -> String.format(Locale.ROOT, "%.4g", p.epsilon())).orElse("-"),
            r.privacySpent().map(p -> String.format(Locale.ROOT, "%.3g", p.delta())).orElse("-"), r.seconds(),
            notes(r)).stripTrailing()).append('\n');
      }
    }
    out.append(history.privacySpent()
        .map(p -> String.format(Locale.ROOT, "privacy spent: epsilon %.4g, delta %.3g%n", p.epsilon(), p.delta()))
        .orElse("privacy spent: not accounted\n"));
    return out.toString();
  }

  private static String fixed(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.4f", v.getAsDouble()) : "-";
  }

  private static String notes(RoundRecord r) {
    String failures = r.participants().stream().filter(p -> p.status() == Participant.Status.FAILED)
        .map(p -> p.client() + ": " + p.failureKind().orElse("") + " (" + p.reason().orElse("") + ")")
        .collect(Collectors.joining("; "));
    String reason = r.reason().orElse("");
    return reason.isEmpty() ? failures : failures.isEmpty() ? reason : reason + "; " + failures;
  }

  private static String code(RunStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  /* --- JSON --- */

  /** {@code {"runs": [...]}} with each run's fields except its configuration text. */
  public static String runsJson(List<Run> runs) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode array = root.putArray("runs");
    runs.forEach(r -> array.add(runNode(r, false)));
    return root.toPrettyString() + "\n";
  }

  /**
   * {@code {"run": {...}, "rounds": [...], "privacy_spent": {...} | null}}; each round has number,
   * outcome, reason, accuracy, loss, seconds, contributors, participants (name, status, failure kind,
   * reason), privacy_spent and measurements. Absent values are {@code null}.
   */
  public static String historyJson(RunHistory history) {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("run", runNode(history.run(), true));
    ArrayNode rounds = root.putArray("rounds");
    for (RoundRecord r : history.rounds()) {
      ObjectNode n = rounds.addObject();
      n.put("number", r.number());
      n.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
      n.put("reason", r.reason().orElse(null));
      putDouble(n, "accuracy", r.accuracy());
      putDouble(n, "loss", r.loss());
      n.put("seconds", r.seconds());
      n.put("contributors", r.contributors());
      ArrayNode participants = n.putArray("participants");
      for (Participant p : r.participants()) {
        ObjectNode pn = participants.addObject();
        pn.put("client", p.client());
        pn.put("status", p.status().name().toLowerCase(Locale.ROOT));
        pn.put("failure_kind", p.failureKind().orElse(null));
        pn.put("reason", p.reason().orElse(null));
      }
      putPrivacy(n, r.privacySpent().orElse(null));
      ObjectNode measurements = n.putObject("measurements");
      r.measurements().forEach((k, v) -> putDouble(measurements, k, OptionalDouble.of(v)));
    }
    putPrivacy(root, history.privacySpent().orElse(null));
    return root.toPrettyString() + "\n";
  }

  private static ObjectNode runNode(Run r, boolean withConfig) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", r.id());
    n.put("name", r.name());
    n.put("status", code(r.status()));
    n.put("stop_reason", r.stopReason().orElse(null));
    n.put("seed", r.seed());
    n.put("created_at", r.createdAt().toString());
    n.put("updated_at", r.updatedAt().toString());
    if (withConfig) {
      n.put("config", r.config());
    }
    return n;
  }

  private static void putPrivacy(ObjectNode n, PrivacySpent p) {
    if (p == null) {
      n.putNull("privacy_spent");
    } else {
      ObjectNode pn = n.putObject("privacy_spent");
      pn.put("epsilon", p.epsilon());
      pn.put("delta", p.delta());
    }
  }

  private static void putDouble(ObjectNode n, String name, OptionalDouble v) {
    if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
      n.put(name, v.getAsDouble());
    } else {
      n.putNull(name);
    }
  }
}
