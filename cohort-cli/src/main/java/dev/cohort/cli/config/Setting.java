package dev.cohort.cli.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One key of a config section: its type, default, allowed range or values, and a one-line
 * description. Turns TOML values and {@code --set} strings into checked Java values.
 *
 * @param section the TOML section, e.g. "train"
 * @param key the key, e.g. "batch_size"
 * @param type the value type
 * @param defaultValue the value when absent, or null if required (or optional without default)
 * @param min the smallest allowed number (inclusive), or null
 * @param max the largest allowed number (inclusive), or null
 * @param minExclusive whether {@code min} itself is excluded
 * @param choices the allowed strings for {@link Type#CHOICE}, else empty
 * @param doc what the key means
 */
public record Setting(String section, String key, Type type, Object defaultValue, Double min, Double max,
    boolean minExclusive, List<String> choices, String doc) {

  /** Value types. */
  public enum Type { INT, DOUBLE, STRING, CHOICE, BOOL, INT_LIST }

  public Setting {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    choices = List.copyOf(choices);
  }

  /** "[section] key". */
  public String path() {
    return "[" + section + "] " + key;
  }

  /** A description of the allowed values, for error messages. */
  public String allowed() {
    return switch (type) {
      case INT -> "an integer" + range();
      case DOUBLE -> "a number" + range();
      case STRING -> "a string";
      case CHOICE -> "one of " + String.join(", ", choices);
      case BOOL -> "true or false";
      case INT_LIST -> "a list of integers" + range();
    };
  }

  private String range() {
    if (min == null && max == null) {
      return "";
    }
    if (max == null) {
      return (minExclusive ? " > " : " >= ") + fmt(min);
    }
    if (min == null) {
      return " <= " + fmt(max);
    }
    return " in " + (minExclusive ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** Checks and converts a value read from TOML (Long, Double, String, Boolean or List). */
  public Object check(Object value) {
    Object v = switch (type) {
      case INT -> {
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
          yield l.intValue();
        }
        throw wrong(value);
      }
      case DOUBLE -> {
        if (value instanceof Number n) {
          yield n.doubleValue();
        }
        throw wrong(value);
      }
      case STRING -> {
        if (value instanceof String s) {
          yield s;
        }
        throw wrong(value);
      }
      case CHOICE -> {
        if (value instanceof String s && choices.contains(s.toLowerCase(Locale.ROOT))) {
          yield s.toLowerCase(Locale.ROOT);
        }
        throw wrong(value);
      }
      case BOOL -> {
        if (value instanceof Boolean b) {
          yield b;
        }
        throw wrong(value);
      }
      case INT_LIST -> {
        if (value instanceof List<?> list) {
          List<Integer> out = new ArrayList<>();
          for (Object o : list) {
            if (!(o instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
              throw wrong(value);
            }
            out.add(l.intValue());
          }
          yield List.copyOf(out);
        }
        throw wrong(value);
      }
    };
    checkRange(v, value);
    return v;
  }

  /** Converts a {@code --set} string to a checked value. */
  public Object parse(String text) {
    String t = text.trim();
    try {
      return switch (type) {
        case INT -> check(Long.parseLong(t));
        case DOUBLE -> check(Double.parseDouble(t));
        case STRING, CHOICE -> check(t);
        case BOOL -> {
          if (t.equals("true") || t.equals("false")) {
            yield check(Boolean.parseBoolean(t));
          }
          throw wrong(text);
        }
        case INT_LIST -> {
          String inner = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
          List<Long> list = new ArrayList<>();
          for (String part : inner.split(",")) {
            if (!part.isBlank()) {
              list.add(Long.parseLong(part.trim()));
            }
          }
          yield check(list);
        }
      };
    } catch (NumberFormatException e) {
      throw wrong(text);
    }
  }

  private void checkRange(Object v, Object original) {
    if (min == null && max == null) {
      return;
    }
    List<?> values = v instanceof List<?> l ? l : List.of(v);
    for (Object o : values) {
      double d = ((Number) o).doubleValue();
      boolean ok = Double.isFinite(d)
          && (min == null || (minExclusive ? d > min : d >= min))
          && (max == null || d <= max);
      if (!ok) {
        throw wrong(original);
      }
    }
  }

  private ConfigException wrong(Object value) {
    String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return new ConfigException(path() + " must be " + allowed() + ", got " + shown);
  }
}
