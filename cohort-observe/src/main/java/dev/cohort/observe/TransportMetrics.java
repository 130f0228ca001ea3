package dev.cohort.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Builds a {@link MetricsSource} over a server transport's own figures, read at every scrape,
 * without this module depending on the transport. With cohort-grpc's server transport:
 *
 * <pre>{@code
 * registry.addSource(TransportMetrics.builder()
 *     .connectedClients(() -> transport.availableClients().size())
 *     .traffic(transport::traffic, Traffic::bytesSent, Traffic::bytesReceived)
 *     .refusals(() -> transport.refusals().size())
 *     .peakBufferedReplyBytes(transport::peakBufferedReplyBytes)
 *     .build());
 * }</pre>
 *
 * <p>Metrics, each only if its figure was given:
 *
 * <ul>
 *   <li>{@code cohort_connected_clients} gauge: clients connected now;
 *   <li>{@code cohort_bytes_sent_total{client}} and {@code cohort_bytes_received_total{client}}
 *       counters: bytes carried per client since the transport started (the map key's
 *       {@code toString()} is the label);
 *   <li>{@code cohort_connection_refusals_total} counter: connections refused since start;
 *   <li>{@code cohort_reply_buffer_peak_bytes} gauge: the most reply bytes held at once.
 * </ul>
 *
 * <p>The suppliers are called on the scraping thread and must be thread-safe. Each setting may
 * be given once.
 */
public final class TransportMetrics {
  private TransportMetrics() {}

  /** A builder with no figures. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the figures given to it. Not thread-safe; the source it builds is. */
  public static final class Builder {
    private final List<Consumer<MetricsRegistry>> parts = new ArrayList<>();
    private final List<String> set = new ArrayList<>();

    private Builder() {}

    private Builder add(String setting, Consumer<MetricsRegistry> part) {
      if (set.contains(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
      set.add(setting);
      parts.add(part);
      return this;
    }

    /** The number of clients connected now: {@code cohort_connected_clients}. */
    public Builder connectedClients(IntSupplier connected) {
      Objects.requireNonNull(connected, "connected");
      return add("connectedClients", scrape -> scrape.gauge("cohort_connected_clients",
          "Clients connected to the server now.").set(connected.getAsInt()));
    }

    /**
     * Per-client byte counters since start: {@code cohort_bytes_sent_total{client}} and
     * {@code cohort_bytes_received_total{client}}.
     *
     * @param traffic the counters of every client that ever connected, keyed by client
     * @param sent the bytes sent to the client
     * @param received the bytes received from the client
     */
    public <T> Builder traffic(Supplier<? extends Map<?, T>> traffic, ToLongFunction<? super T> sent,
        ToLongFunction<? super T> received) {
      Objects.requireNonNull(traffic, "traffic");
      Objects.requireNonNull(sent, "sent");
      Objects.requireNonNull(received, "received");
      return add("traffic", scrape -> {
        Counter sentTotal = scrape.counter("cohort_bytes_sent_total",
            "Message bytes sent to each client since the server started.", "client");
        Counter receivedTotal = scrape.counter("cohort_bytes_received_total",
            "Message bytes received from each client since the server started.", "client");
        traffic.get().forEach((client, t) -> {
          sentTotal.labels(String.valueOf(client)).inc(sent.applyAsLong(t));
          receivedTotal.labels(String.valueOf(client)).inc(received.applyAsLong(t));
        });
      });
    }

    /** Connections refused since start: {@code cohort_connection_refusals_total}. */
    public Builder refusals(IntSupplier refusals) {
      Objects.requireNonNull(refusals, "refusals");
      return add("refusals", scrape -> scrape.counter("cohort_connection_refusals_total",
          "Connections refused since the server started (unknown, revoked or foreign certificates).")
          .inc(refusals.getAsInt()));
    }

    /** The most reply bytes held at once since start: {@code cohort_reply_buffer_peak_bytes}. */
    public Builder peakBufferedReplyBytes(LongSupplier peak) {
      Objects.requireNonNull(peak, "peak");
      return add("peakBufferedReplyBytes", scrape -> scrape.gauge("cohort_reply_buffer_peak_bytes",
          "The most client reply bytes held in memory at once since the server started.").set(peak.getAsLong()));
    }

    /** The source; fails if no figure was given. */
    public MetricsSource build() {
      if (parts.isEmpty()) {
        throw new IllegalStateException("no transport figure was set");
      }
      List<Consumer<MetricsRegistry>> copy = List.copyOf(parts);
      return scrape -> copy.forEach(part -> part.accept(scrape));
    }
  }
}
