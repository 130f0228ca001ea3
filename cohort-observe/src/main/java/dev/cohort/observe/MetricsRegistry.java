package dev.cohort.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A set of named metrics (counters, gauges, histograms with fixed buckets, each with optional
 * labels) rendered in the Prometheus text exposition format 0.0.4 by {@link #scrape()}.
 *
 * <pre>{@code
 * MetricsRegistry registry = new MetricsRegistry();
 * Counter rounds = registry.counter("cohort_rounds_total", "Rounds by outcome.", "outcome");
 * rounds.labels("completed").inc();
 * String text = registry.scrape();
 * }</pre>
 *
 * <p>Thread-safe: metrics may be registered, updated and scraped from any thread. Metrics are
 * exported in registration order, then those of the {@linkplain #addSource sources}; a metric's
 * children in label-value order. A name can be registered once; metric and label names are
 * checked against the format's grammar. Not checked: that the names of a histogram's
 * {@code _bucket}/{@code _sum}/{@code _count} series do not collide with another metric.
 */
public final class MetricsRegistry {
  /** The media type of {@link #scrape()}'s output. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Map<String, Metric<?>> metrics = new LinkedHashMap<>(); // guarded by this
  private final List<MetricsSource> sources = new CopyOnWriteArrayList<>();

  /** An empty registry. */
  public MetricsRegistry() {}

  /** Registers a counter named {@code name} with these label names (none for a single series). */
  public Counter counter(String name, String help, String... labelNames) {
    return register(new Counter(name, help, labelNames));
  }

  /** Registers a gauge named {@code name} with these label names (none for a single series). */
  public Gauge gauge(String name, String help, String... labelNames) {
    return register(new Gauge(name, help, labelNames));
  }

  /**
   * Registers a histogram named {@code name} with these bucket upper bounds (finite, strictly
   * increasing; {@code +Inf} is added) and label names ({@code le} is reserved).
   */
  public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    Objects.requireNonNull(buckets, "buckets");
    return register(new Histogram(name, help, buckets, labelNames));
  }

  /** Adds a source whose metrics are read at every scrape, after this registry's own. */
  public void addSource(MetricsSource source) {
    sources.add(Objects.requireNonNull(source, "source"));
  }

  private synchronized <M extends Metric<?>> M register(M metric) {
    if (metrics.containsKey(metric.name())) {
      throw new IllegalArgumentException("metric " + metric.name() + " is already registered");
    }
    metrics.put(metric.name(), metric);
    return metric;
  }

  private synchronized List<Metric<?>> snapshot() {
    return new ArrayList<>(metrics.values());
  }

  /**
   * Every metric in the Prometheus text format 0.0.4: a {@code # HELP} and {@code # TYPE} line
   * per metric, then its samples. Runs the sources first.
   *
   * @throws IllegalStateException if a source reports a metric this registry already has
   * @throws RuntimeException whatever a source throws
   */
  public String scrape() {
    MetricsRegistry pulled = new MetricsRegistry();
    for (MetricsSource source : sources) {
      source.collect(pulled);
    }
    List<Metric<?>> own = snapshot();
    List<Metric<?>> fromSources = pulled.snapshot();
    StringBuilder out = new StringBuilder();
    for (Metric<?> m : own) {
      m.render(out);
    }
    synchronized (this) {
      for (Metric<?> m : fromSources) {
        if (metrics.containsKey(m.name())) {
          throw new IllegalStateException("metric " + m.name() + " is both registered and reported by a source");
        }
      }
    }
    for (Metric<?> m : fromSources) {
      m.render(out);
    }
    return out.toString();
  }
}
