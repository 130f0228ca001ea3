package dev.cohort.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable named numeric measurements (loss, accuracy, examples, seconds...), in insertion
 * order. Values must be finite unless they are NaN on purpose (for "not measured").
 */
public record MetricRecord(Map<String, Double> values) {
  private static final MetricRecord EMPTY = new MetricRecord(Map.of());

  public MetricRecord {
    Objects.requireNonNull(values, "values");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** No metrics. */
  public static MetricRecord empty() {
    return EMPTY;
  }

  /** Metrics from alternating name, value pairs. */
  public static MetricRecord of(Object... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("metrics need name, value pairs but got " + nameValuePairs.length + " items");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      m.put((String) nameValuePairs[i], ((Number) nameValuePairs[i + 1]).doubleValue());
    }
    return new MetricRecord(m);
  }

  /** The value of {@code name}, or NaN if absent. */
  public double get(String name) {
    return values.getOrDefault(name, Double.NaN);
  }

  /** These metrics plus {@code name = value}. */
  public MetricRecord with(String name, double value) {
    Map<String, Double> m = new LinkedHashMap<>(values);
    m.put(name, value);
    return new MetricRecord(m);
  }
}
