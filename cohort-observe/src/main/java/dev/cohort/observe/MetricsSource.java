package dev.cohort.observe;

/**
 * Figures read at scrape time from something that already counts them (a transport's byte
 * counters, its connected clients), so nothing has to push them.
 *
 * <p>{@link #collect} is called on the scraping thread, once per scrape, with a fresh, empty
 * registry: register the metrics and record their current values into it ({@code inc} a counter
 * by the running total read from the source). Its metrics are exported next to the owning
 * registry's and must not reuse their names. Implementations must be thread-safe and quick; an
 * exception fails the scrape (the endpoint answers 500 with its message).
 *
 * <pre>{@code
 * registry.addSource(scrape -> {
 *   Counter received = scrape.counter("cohort_bytes_received_total", "Bytes received.", "client");
 *   transport.traffic().forEach((client, t) -> received.labels(client.value()).inc(t.bytesReceived()));
 * });
 * }</pre>
 */
@FunctionalInterface
public interface MetricsSource {
  /** Registers metrics in {@code scrape} (fresh for every scrape) and records their current values. */
  void collect(MetricsRegistry scrape);
}
