/**
 * Observability of a running federation: Prometheus metrics and JSON-lines logs. JDK only; this
 * module knows the coordinator's events ({@link dev.cohort.server.RunObserver}) but no
 * transport.
 *
 * <p>Entry points:
 *
 * <ul>
 *   <li>{@link dev.cohort.observe.MetricsRegistry}: counters, gauges and histograms rendered in
 *       the Prometheus text format 0.0.4, plus {@link dev.cohort.observe.MetricsSource}s read at
 *       scrape time;
 *   <li>{@link dev.cohort.observe.MetricsObserver}: the run's metrics ({@code cohort_rounds_total},
 *       {@code cohort_round_seconds}, ...) from coordinator events;
 *   <li>{@link dev.cohort.observe.TransportMetrics}: a source over a transport's byte counters and
 *       connected clients, given as method references;
 *   <li>{@link dev.cohort.observe.MetricsServer}: {@code GET /metrics} and {@code GET /healthz};
 *   <li>{@link dev.cohort.observe.StructuredLogging}, {@link dev.cohort.observe.JsonLogFormatter}
 *       and {@link dev.cohort.observe.LoggingObserver}: one JSON object per log line, with round
 *       outcomes as {@code round_ended} events.
 * </ul>
 *
 * <p>How {@code cohort server} is expected to use it, for {@code --metrics HOST:PORT} and
 * {@code --log-format json}:
 *
 * <pre>{@code
 * if (logFormat == JSON) {
 *   StructuredLogging.install(Level.INFO);            // first, before anything logs
 * }
 * MetricsRegistry registry = new MetricsRegistry();
 * RunObserver observer = RunObserver.all(console, new LoggingObserver(), new MetricsObserver(registry));
 * registry.addSource(TransportMetrics.builder()
 *     .connectedClients(() -> transport.availableClients().size())
 *     .traffic(transport::traffic, Traffic::bytesSent, Traffic::bytesReceived)
 *     .refusals(() -> transport.refusals().size())
 *     .peakBufferedReplyBytes(transport::peakBufferedReplyBytes)
 *     .build());
 * try (MetricsServer metrics = MetricsServer.start(host, port, registry)) {
 *   coordinator.observer(observer).build().run();
 * }
 * }</pre>
 *
 * <p>The metrics endpoint is plain HTTP without authentication: bind it to loopback or a
 * private interface, never next to the mutual-TLS federation port on a public one.
 */
package dev.cohort.observe;
