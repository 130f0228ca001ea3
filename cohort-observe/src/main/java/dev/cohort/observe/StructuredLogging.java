package dev.cohort.observe;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes all logging of the process through {@link JsonLogFormatter}: the root
 * {@code java.util.logging} logger's handlers are replaced by one that writes JSON lines. This
 * covers libraries logging to JUL (gRPC, Netty) and every {@link System.Logger}, which goes to
 * JUL unless another backend is installed.
 *
 * <p>Call once, early in {@code main}. Not thread-safe against concurrent reconfiguration.
 */
public final class StructuredLogging {
  private StructuredLogging() {}

  /** JSON lines of {@code level} and above to standard error; returns the handler installed. */
  public static Handler install(Level level) {
    return install(level, System.err);
  }

  /**
   * JSON lines of {@code level} and above to {@code out} (flushed after every line, never
   * closed); returns the handler installed, which the caller may remove from the root logger.
   */
  public static Handler install(Level level, OutputStream out) {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(out, "out");
    Handler handler = new LineHandler(out);
    handler.setLevel(level);
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(handler);
    root.setLevel(level);
    return handler;
  }

  /** Writes each record at once and leaves the stream open on close (it is usually stderr). */
  private static final class LineHandler extends StreamHandler {
    LineHandler(OutputStream out) {
      super(out, new JsonLogFormatter());
      try {
        setEncoding(StandardCharsets.UTF_8.name());
      } catch (java.io.UnsupportedEncodingException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public synchronized void publish(LogRecord record) {
      super.publish(record);
      flush();
    }

    @Override
    public synchronized void close() {
      flush();
    }
  }
}
