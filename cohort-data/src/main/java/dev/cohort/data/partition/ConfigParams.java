package dev.cohort.data.partition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Typed access to a partitioner's configuration parameters, with errors that name the key. */
final class ConfigParams {
  private final String partitioner;
  private final Map<String, ?> values;

  ConfigParams(String partitioner, Map<String, ?> values) {
    this.partitioner = partitioner;
    this.values = values;
  }

  /** Fails on any key not in {@code keys}. */
  void allow(String... keys) {
    Set<String> allowed = Set.of(keys);
    for (String key : values.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException("partitioner '" + partitioner + "' has no parameter '" + key
            + "'; its parameters are " + (keys.length == 0 ? "none" : String.join(", ", keys)));
      }
    }
  }

  double real(String key, double fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number num) {
      return num.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          partitioner + " parameter " + key + " must be a number but was '" + v + "'", e);
    }
  }

  int integer(String key, int fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    double d = real(key, fallback);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(partitioner + " parameter " + key + " must be an integer but was " + v);
    }
    return (int) d;
  }

  /** An unmodifiable map of alternating keys and values, in that order. */
  static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
