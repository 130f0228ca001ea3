package dev.cohort.observe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A named event with fields, passed as a log record's parameter so that {@link JsonLogFormatter}
 * writes {@code "event": name} and each field at the top level of the line. Other formatters
 * ignore it and print the record's message, which should therefore read well on its own.
 *
 * <pre>{@code
 * LogRecord r = new LogRecord(Level.INFO, "round 3 completed");
 * r.setParameters(new Object[] {LogEvent.named("round_ended").with("round", 3)});
 * logger.log(r);
 * }</pre>
 *
 * <p>Immutable. Field values are strings, numbers, booleans, null, collections or maps of those;
 * others are written as their {@code toString()}. Names of the line's own fields are refused.
 *
 * @param name the event's name, written as the {@code event} field
 * @param fields the fields, in order
 */
public record LogEvent(String name, Map<String, Object> fields) {
  /** Field names every line has, which an event cannot use. */
  public static final Set<String> RESERVED = Set.of("ts", "level", "logger", "msg", "thrown", "event");

  public LogEvent {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fields, "fields");
    for (String key : fields.keySet()) {
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException("field name " + key + " is reserved; the reserved names are " + RESERVED);
      }
    }
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** An event without fields. */
  public static LogEvent named(String name) {
    return new LogEvent(name, Map.of());
  }

  /** This event plus the field {@code key = value} (replacing an earlier value of {@code key}). */
  public LogEvent with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> m = new LinkedHashMap<>(fields);
    m.put(key, value);
    return new LogEvent(name, m);
  }
}
