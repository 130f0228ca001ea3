package dev.cohort.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats each log record as one JSON object on one line (JSON lines):
 *
 * <pre>{@code
 * {"ts":"2026-11-22T07:40:00.123Z","level":"INFO","logger":"dev.cohort.run","msg":"round 3 completed ...","event":"round_ended","round":3,...}
 * }</pre>
 *
 * <ul>
 *   <li>{@code ts}: the record's instant, ISO-8601 in UTC;
 *   <li>{@code level}: {@code ERROR} (SEVERE), {@code WARN} (WARNING), {@code INFO},
 *       {@code DEBUG} (CONFIG, FINE) or {@code TRACE} (FINER, FINEST), the names log stores know;
 *   <li>{@code logger}: the logger's name;
 *   <li>{@code msg}: the message with its parameters applied ({@link Formatter#formatMessage});
 *   <li>the {@code event} name and fields of a {@link LogEvent} parameter, if there is one;
 *   <li>{@code thrown}: the stack trace of the record's throwable, if any.
 * </ul>
 *
 * <p>Control characters and quotes are escaped, so a line never breaks. Thread-safe.
 */
public final class JsonLogFormatter extends Formatter {
  /** A formatter. */
  public JsonLogFormatter() {}

  @Override
  public String format(LogRecord record) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"ts\":");
    Json.string(out, DateTimeFormatter.ISO_INSTANT.format(record.getInstant()));
    out.append(",\"level\":");
    Json.string(out, levelName(record.getLevel()));
    out.append(",\"logger\":");
    Json.value(out, record.getLoggerName());
    out.append(",\"msg\":");
    LogEvent event = event(record);
    Json.value(out, event != null && record.getParameters().length == 1 ? record.getMessage() : formatMessage(record));
    if (event != null) {
      out.append(",\"event\":");
      Json.string(out, event.name());
      event.fields().forEach((k, v) -> {
        out.append(',');
        Json.string(out, k);
        out.append(':');
        Json.value(out, v);
      });
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      try (PrintWriter w = new PrintWriter(trace)) {
        record.getThrown().printStackTrace(w);
      }
      out.append(",\"thrown\":");
      Json.string(out, trace.toString());
    }
    return out.append("}\n").toString();
  }

  private static LogEvent event(LogRecord record) {
    Object[] params = record.getParameters();
    if (params != null) {
      for (Object p : params) {
        if (p instanceof LogEvent e) {
          return e;
        }
      }
    }
    return null;
  }

  /** The conventional name of a JUL level. */
  static String levelName(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (v >= Level.WARNING.intValue()) {
      return "WARN";
    } else if (v >= Level.INFO.intValue()) {
      return "INFO";
    } else if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }
}
