package dev.cohort.observe;

import java.util.Collection;
import java.util.Map;

/** Writes the JSON values a log line needs, without a JSON library. */
final class Json {
  private Json() {}

  /**
   * Appends {@code value} as JSON: strings, numbers (non-finite ones as {@code null}), booleans,
   * null, collections as arrays, maps as objects (keys by {@code toString()}); anything else as
   * the string of its {@code toString()}.
   */
  static void value(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case Boolean b -> out.append(b);
      case Double d -> number(out, d);
      case Float f -> number(out, f);
      case Number n -> out.append(n);
      case Map<?, ?> m -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, String.valueOf(e.getKey()));
          out.append(':');
          value(out, e.getValue());
        }
        out.append('}');
      }
      case Collection<?> c -> {
        out.append('[');
        boolean first = true;
        for (Object o : c) {
          if (!first) {
            out.append(',');
          }
          first = false;
          value(out, o);
        }
        out.append(']');
      }
      default -> string(out, value.toString());
    }
  }

  private static void number(StringBuilder out, double d) {
    if (!Double.isFinite(d)) {
      out.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d);
    } else {
      out.append(d);
    }
  }

  /** Appends {@code s} as a JSON string, escaping quotes, backslashes and control characters. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
