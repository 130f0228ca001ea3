package dev.cohort.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A metric family: a name, help text, type and label names, with one child per combination of
 * label values. Children are created on first use and live as long as the registry.
 *
 * @param <C> the child type
 */
abstract sealed class Metric<C> permits Counter, Gauge, Histogram {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Comparator<List<String>> LABEL_ORDER = (a, b) -> {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  };

  private final String name;
  private final String help;
  private final List<String> labelNames;
  private final Map<List<String>, C> children = new ConcurrentHashMap<>();

  Metric(String name, String help, String[] labelNames) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(labelNames, "labelNames");
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("metric name must match " + METRIC_NAME + " but was '" + name + "'");
    }
    List<String> names = List.of(labelNames);
    for (String label : names) {
      if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
        throw new IllegalArgumentException("label name must match " + LABEL_NAME
            + " and not start with __ but was '" + label + "' (metric " + name + ")");
      }
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("metric " + name + " repeats a label name: " + names);
    }
    this.name = name;
    this.help = help;
    this.labelNames = names;
  }

  /** Creates the child of a metric without labels, so it is exported (as zero) before first use. */
  final void createUnlabelledChild() {
    if (labelNames.isEmpty()) {
      children.put(List.of(), newChild());
    }
  }

  /** The metric's name. */
  public final String name() {
    return name;
  }

  /** The child for {@code labelValues}, one per label name in order, created on first use. */
  final C child(String... labelValues) {
    Objects.requireNonNull(labelValues, "labelValues");
    if (labelValues.length != labelNames.size()) {
      throw new IllegalArgumentException("metric " + name + " has labels " + labelNames + " but got "
          + labelValues.length + " values " + Arrays.toString(labelValues));
    }
    for (String v : labelValues) {
      Objects.requireNonNull(v, () -> "label value of metric " + name);
    }
    return children.computeIfAbsent(List.of(labelValues), k -> newChild());
  }

  /** The child without labels; fails if the metric has labels. */
  final C unlabelled() {
    if (!labelNames.isEmpty()) {
      throw new IllegalStateException("metric " + name + " has labels " + labelNames + "; call labels(...) first");
    }
    return children.get(List.of());
  }

  abstract C newChild();

  abstract String type();

  /** Appends this child's sample lines; {@code labels} is the rendered label set without braces. */
  abstract void renderChild(C child, String labels, StringBuilder out);

  /** The Prometheus text format 0.0.4 of this family, children in label-value order. */
  final void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type()).append('\n');
    List<Map.Entry<List<String>, C>> sorted = new ArrayList<>(children.entrySet());
    sorted.sort(Map.Entry.comparingByKey(LABEL_ORDER));
    for (Map.Entry<List<String>, C> e : sorted) {
      StringBuilder labels = new StringBuilder();
      for (int i = 0; i < labelNames.size(); i++) {
        if (i > 0) {
          labels.append(',');
        }
        labels.append(labelNames.get(i)).append("=\"").append(escapeLabelValue(e.getKey().get(i))).append('"');
      }
      renderChild(e.getValue(), labels.toString(), out);
    }
  }

  /** One sample line: {@code name{labels} value}. */
  static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ').append(formatValue(value)).append('\n');
  }

  /** A sample value as the format writes it: integers without a fraction, {@code +Inf}, {@code NaN}. */
  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  static String escapeLabelValue(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
