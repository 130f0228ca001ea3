package dev.cohort.cli.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * A checked configuration: every value read from a TOML file or a {@code --set section.key=value}
 * override, validated against a {@link Schema}; absent keys take their defaults. Immutable.
 */
public final class Config {
  private final Schema schema;
  private final Map<String, Object> values; // "section.key" -> checked value

  private Config(Schema schema, Map<String, Object> values) {
    this.schema = schema;
    this.values = Collections.unmodifiableMap(values);
  }

  /** Reads {@code file} (may be null for defaults only) and applies {@code overrides} in order. */
  public static Config load(Schema schema, Path file, List<String> overrides) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (file != null) {
      readToml(schema, file, values);
    }
    for (String o : overrides) {
      int eq = o.indexOf('=');
      int dot = o.indexOf('.');
      if (eq < 0 || dot < 0 || dot > eq) {
        throw new ConfigException("--set takes section.key=value, got \"" + o + "\"");
      }
      String section = o.substring(0, dot).trim();
      String key = o.substring(dot + 1, eq).trim();
      Setting s = schema.setting(section, key);
      values.put(section + "." + key, s.parse(o.substring(eq + 1)));
    }
    return new Config(schema, values);
  }

  private static void readToml(Schema schema, Path file, Map<String, Object> values) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + file + ": " + e.getMessage());
    }
    TomlParseResult toml = Toml.parse(text);
    if (toml.hasErrors()) {
      TomlParseError err = toml.errors().get(0);
      throw new ConfigException(file + ":" + err.position().line() + ": " + err.getMessage());
    }
    for (String section : toml.keySet()) {
      Object table = toml.get(List.of(section));
      if (!(table instanceof TomlTable t)) {
        schema.setting(section, ""); // unknown or misplaced top-level key: reports allowed sections
        throw new ConfigException(file + ": \"" + section + "\" must be a [section], not a top-level key");
      }
      for (String key : t.keySet()) {
        Setting s = schema.setting(section, key);
        Object raw = t.get(List.of(key));
        if (raw instanceof TomlArray a) {
          raw = a.toList();
        } else if (raw instanceof TomlTable) {
          throw new ConfigException(s.path() + " must be " + s.allowed() + ", got a table");
        }
        values.put(section + "." + key, s.check(raw));
      }
    }
  }

  /** The value at {@code section.key}: the configured one or the default (may be empty). */
  public Optional<Object> find(String section, String key) {
    Setting s = schema.setting(section, key);
    Object v = values.get(section + "." + key);
    return Optional.ofNullable(v != null ? v : s.defaultValue());
  }

  /** Whether {@code section.key} was set explicitly. */
  public boolean isSet(String section, String key) {
    schema.setting(section, key);
    return values.containsKey(section + "." + key);
  }

  public int integer(String section, String key) {
    return (Integer) require(section, key);
  }

  public long longValue(String section, String key) {
    return ((Number) require(section, key)).longValue();
  }

  public double number(String section, String key) {
    return ((Number) require(section, key)).doubleValue();
  }

  public String string(String section, String key) {
    return (String) require(section, key);
  }

  public boolean bool(String section, String key) {
    return (Boolean) require(section, key);
  }

  @SuppressWarnings("unchecked")
  public List<Integer> intList(String section, String key) {
    return (List<Integer>) require(section, key);
  }

  private Object require(String section, String key) {
    return find(section, key).orElseThrow(() ->
        new ConfigException("[" + section + "] " + key + " is required"));
  }

  /** Every effective value (configured or default), for provenance. */
  public Map<String, Object> effective() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (var sec : schema.sections().entrySet()) {
      for (Setting s : sec.getValue().values()) {
        find(s.section(), s.key()).ifPresent(v -> out.put(s.section() + "." + s.key(), v));
      }
    }
    return out;
  }

  /**
   * Every effective value as TOML text, one {@code [section]} after another in schema order: what a
   * run store keeps with a run, and what a resumed run's configuration is compared with. Loading it
   * gives an equal configuration.
   */
  public String toToml() {
    StringBuilder out = new StringBuilder();
    String current = null;
    for (Map.Entry<String, Object> e : effective().entrySet()) {
      int dot = e.getKey().indexOf('.');
      String section = e.getKey().substring(0, dot);
      if (!section.equals(current)) {
        out.append(current == null ? "" : "\n").append('[').append(section).append("]\n");
        current = section;
      }
      out.append(e.getKey().substring(dot + 1)).append(" = ").append(tomlValue(e.getValue())).append('\n');
    }
    return out.toString();
  }

  private static String tomlValue(Object v) {
    if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      return v.toString();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : Double.toString(d);
    }
    if (v instanceof List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(tomlValue(list.get(i)));
      }
      return sb.append(']').toString();
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : String.valueOf(v).toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** The keys set explicitly, for messages. */
  public List<String> explicitKeys() {
    return new ArrayList<>(values.keySet());
  }
}
