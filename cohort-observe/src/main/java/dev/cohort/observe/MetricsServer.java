package dev.cohort.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP endpoint for Prometheus: {@code GET /metrics} answers the registry's
 * {@linkplain MetricsRegistry#scrape() scrape} as {@code text/plain; version=0.0.4}, and
 * {@code GET /healthz} answers {@code ok}. Other paths get 404, other methods 405 ({@code HEAD}
 * is served like {@code GET}, without a body); a failing scrape gets 500 with the error.
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.start("127.0.0.1", 9464, registry)) {
 *   ... run ...
 * }
 * }</pre>
 *
 * <p>Plain HTTP without authentication: bind it to loopback or a private interface. Requests
 * are served one at a time on a daemon thread, but the JDK server's dispatcher thread keeps the
 * JVM alive until {@link #close()}. Thread-safe; {@link #close()} is idempotent.
 */
public final class MetricsServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MetricsServer.class.getName());

  private final HttpServer server;
  private final ExecutorService executor;
  private final MetricsRegistry registry;
  private boolean closed;

  private MetricsServer(HttpServer server, ExecutorService executor, MetricsRegistry registry) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
  }

  /**
   * Starts serving {@code registry} on {@code host}:{@code port} ({@code port} 0 picks a free
   * one; see {@link #port()}).
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static MetricsServer start(String host, int port, MetricsRegistry registry) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(registry, "registry");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
    }
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "cohort-metrics-http");
      t.setDaemon(true);
      return t;
    });
    MetricsServer server = new MetricsServer(http, executor, registry);
    http.createContext("/", server::handle);
    http.setExecutor(executor);
    http.start();
    LOG.log(System.Logger.Level.INFO, "serving metrics on http://{0}:{1}/metrics", host, String.valueOf(server.port()));
    return server;
  }

  /** The port listened on (useful after binding port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address listened on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!path.equals("/metrics") && !path.equals("/healthz")) {
        respond(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + " (try /metrics or /healthz)\n");
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "method " + method + " not allowed; use GET\n");
        return;
      }
      if (path.equals("/healthz")) {
        respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        return;
      }
      String body;
      try {
        body = registry.scrape();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "metrics scrape failed", e);
        respond(exchange, 500, "text/plain; charset=utf-8", "scrape failed: " + e + "\n");
        return;
      }
      respond(exchange, 200, MetricsRegistry.CONTENT_TYPE, body);
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops serving (waiting at most a second for a request in progress). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(1);
    executor.shutdownNow();
  }
}
