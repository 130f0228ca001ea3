package dev.cohort.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.server.RoundOutcome;
import dev.cohort.server.RunResult;
import java.util.Optional;

/**
 * The machine-readable summary of a run, printed as the last line of stdout with {@code --json}:
 * {@code {"rounds":[{"round":1,"status":"completed","accuracy":..,"loss":..,"seconds":..,
 * "clients":..}, ...], "final":{"accuracy":..,"loss":..}, "seconds":.., "stop_reason":..}}.
 * Non-finite numbers are written as null.
 */
final class RunSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunSummary() {}

  static ObjectNode toJson(RunResult result) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode rounds = root.putArray("rounds");
    Optional<ModelEvaluation> last = Optional.empty();
    ObjectNode lastPrivacy = null;
    for (RoundOutcome o : result.rounds()) {
      ObjectNode r = rounds.addObject();
      r.put("round", o.round());
      switch (o) {
        case RoundOutcome.Completed c -> {
          r.put("status", "completed");
          c.evaluation().ifPresent(e -> {
            number(r, "accuracy", e.accuracy());
            number(r, "loss", e.loss());
          });
          c.federatedEvaluation().ifPresent(e -> {
            number(r, "federated_accuracy", e.accuracy());
            number(r, "federated_loss", e.loss());
          });
          number(r, "train_loss", c.trainLoss());
          r.put("clients", c.contributors());
          r.put("sampled", c.sampled());
          r.put("failed", c.failures().size());
          failures(r, c.failures());
          if (c.measurements().values().containsKey("privacy.epsilon")) {
            ObjectNode p = r.putObject("privacy");
            number(p, "epsilon", c.measurements().get("privacy.epsilon"));
            number(p, "delta", c.measurements().get("privacy.delta"));
            lastPrivacy = p;
          }
          if (c.measurements().values().containsKey("secagg.cohort")) {
            ObjectNode sa = r.putObject("secure_aggregation");
            sa.put("survivors", (long) c.measurements().get("secagg.survivors"));
            sa.put("dropped", (long) c.measurements().get("secagg.dropped"));
            sa.put("recovered", (long) c.measurements().get("secagg.recovered"));
            ArrayNode names = sa.putArray("dropped_clients");
            c.failures().forEach(f -> names.add(f.client().value()));
            number(sa, "unmask_seconds", c.measurements().get("secagg.unmask_seconds"));
            number(sa, "client_mask_seconds", c.measurements().get("secagg.client_mask_seconds"));
            number(sa, "client_train_seconds", c.measurements().get("secagg.client_train_seconds"));
            ObjectNode stages = sa.putObject("stage_seconds");
            c.measurements().values().forEach((k, v) -> {
              if (k.startsWith("secagg.seconds.")) {
                number(stages, k.substring("secagg.seconds.".length()), v);
              }
            });
          }
          if (c.evaluation().isPresent()) {
            last = c.evaluation();
          }
        }
        case RoundOutcome.Skipped s -> {
          r.put("status", "skipped");
          r.put("reason", s.reason());
          r.put("clients", 0);
        }
        case RoundOutcome.Aborted a -> {
          r.put("status", "aborted");
          r.put("reason", a.cause());
          r.put("clients", 0);
          r.put("failed", a.failures().size());
          failures(r, a.failures());
        }
      }
      number(r, "seconds", o.seconds());
    }
    ObjectNode fin = root.putObject("final");
    number(fin, "accuracy", last.map(ModelEvaluation::accuracy).orElse(Double.NaN));
    number(fin, "loss", last.map(ModelEvaluation::loss).orElse(Double.NaN));
    number(root, "seconds", result.seconds());
    if (lastPrivacy != null) {
      root.set("privacy", lastPrivacy.deepCopy());
    }
    root.put("stop_reason", result.stopReason().name().toLowerCase(java.util.Locale.ROOT));
    root.put("stop_detail", result.stopDetail());
    return root;
  }

  /** Who failed in a round, how and why: {@code "failures":[{"client":..,"kind":..,"reason":..}]}. */
  private static void failures(ObjectNode round, java.util.List<dev.cohort.core.transport.ClientFailure> failures) {
    ArrayNode list = round.putArray("failures");
    for (var f : failures) {
      list.addObject().put("client", f.client().value())
          .put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT)).put("reason", f.reason());
    }
  }

  static String write(ObjectNode node) {
    return node.toString();
  }

  private static void number(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}
