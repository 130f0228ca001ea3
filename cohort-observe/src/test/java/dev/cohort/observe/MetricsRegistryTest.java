package dev.cohort.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The registry's text exposition format 0.0.4 and its checks. */
class MetricsRegistryTest {

  /* --- rendering --- */

  @Test
  void scrape_smallRegistry_isExactTextFormat() {
    MetricsRegistry registry = new MetricsRegistry();
    Counter requests = registry.counter("http_requests_total", "Requests handled.", "method", "code");
    Gauge temperature = registry.gauge("room_temperature_celsius", "Current temperature.");
    Histogram latency = registry.histogram("request_seconds", "Request latency.", new double[] {0.1, 1, 2.5});
    requests.labels("post", "200").inc(1027);
    requests.labels("get", "400").inc();
    requests.labels("get", "400").inc(2);
    temperature.set(21.5);
    latency.observe(0.05);
    latency.observe(0.1);
    latency.observe(0.7);
    latency.observe(3);

    assertThat(registry.scrape()).isEqualTo("""
        # HELP http_requests_total Requests handled.
        # TYPE http_requests_total counter
        http_requests_total{method="get",code="400"} 3
        http_requests_total{method="post",code="200"} 1027
        # HELP room_temperature_celsius Current temperature.
        # TYPE room_temperature_celsius gauge
        room_temperature_celsius 21.5
        # HELP request_seconds Request latency.
        # TYPE request_seconds histogram
        request_seconds_bucket{le="0.1"} 2
        request_seconds_bucket{le="1"} 3
        request_seconds_bucket{le="2.5"} 3
        request_seconds_bucket{le="+Inf"} 4
        request_seconds_sum 3.85
        request_seconds_count 4
        """);
  }

  @Test
  void scrape_labelledHistogram_putsLeLast() {
    MetricsRegistry registry = new MetricsRegistry();
    Histogram h = registry.histogram("job_seconds", "Jobs.", new double[] {1}, "queue");
    h.labels("fast").observe(0.5);

    assertThat(registry.scrape()).isEqualTo("""
        # HELP job_seconds Jobs.
        # TYPE job_seconds histogram
        job_seconds_bucket{queue="fast",le="1"} 1
        job_seconds_bucket{queue="fast",le="+Inf"} 1
        job_seconds_sum{queue="fast"} 0.5
        job_seconds_count{queue="fast"} 1
        """);
  }

  @Test
  void scrape_escapesLabelValuesAndHelp() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.gauge("odd", "Help with \\ backslash\nand newline; \"quotes\" stay.", "path")
        .labels("C:\\dir \"x\"\nnext").set(1);

    assertThat(registry.scrape()).isEqualTo("""
        # HELP odd Help with \\\\ backslash\\nand newline; "quotes" stay.
        # TYPE odd gauge
        odd{path="C:\\\\dir \\"x\\"\\nnext"} 1
        """);
  }

  @Test
  void scrape_specialValues_areNaNAndSignedInf() {
    MetricsRegistry registry = new MetricsRegistry();
    Gauge g = registry.gauge("g", "G.", "v");
    g.labels("a").set(Double.NaN);
    g.labels("b").set(Double.POSITIVE_INFINITY);
    g.labels("c").set(Double.NEGATIVE_INFINITY);
    g.labels("d").set(1e-5);
    g.labels("e").set(-3);

    assertThat(registry.scrape()).contains("g{v=\"a\"} NaN\n", "g{v=\"b\"} +Inf\n", "g{v=\"c\"} -Inf\n",
        "g{v=\"d\"} 1.0E-5\n", "g{v=\"e\"} -3\n");
  }

  @Test
  void scrape_metricWithoutLabels_isExportedAsZeroBeforeUse() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.counter("c_total", "C.");
    registry.gauge("labelled", "L.", "k");

    assertThat(registry.scrape()).isEqualTo("""
        # HELP c_total C.
        # TYPE c_total counter
        c_total 0
        # HELP labelled L.
        # TYPE labelled gauge
        """);
  }

  /* --- sources --- */

  @Test
  void scrape_sourceMetrics_followOwnAndAreReadEachTime() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.counter("own_total", "Own.").inc();
    long[] bytes = {10};
    registry.addSource(scrape -> scrape.counter("pulled_bytes_total", "Pulled.", "client").labels("a").inc(bytes[0]));

    assertThat(registry.scrape()).endsWith("""
        own_total 1
        # HELP pulled_bytes_total Pulled.
        # TYPE pulled_bytes_total counter
        pulled_bytes_total{client="a"} 10
        """);
    bytes[0] = 25;
    assertThat(registry.scrape()).endsWith("pulled_bytes_total{client=\"a\"} 25\n");
  }

  @Test
  void scrape_sourceReusingARegisteredName_fails() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.gauge("x", "X.");
    registry.addSource(scrape -> scrape.gauge("x", "X again."));

    assertThatThrownBy(registry::scrape).isInstanceOf(IllegalStateException.class)
        .hasMessage("metric x is both registered and reported by a source");
  }

  /* --- validation --- */

  @Test
  void register_sameNameTwice_fails() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.counter("a_total", "A.");

    assertThatThrownBy(() -> registry.gauge("a_total", "A.")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric a_total is already registered");
  }

  @Test
  void register_invalidNames_fail() {
    MetricsRegistry registry = new MetricsRegistry();

    assertThatThrownBy(() -> registry.counter("1bad", "B.")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1bad'");
    assertThatThrownBy(() -> registry.counter("ok", "B.", "bad-label")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad-label'");
    assertThatThrownBy(() -> registry.counter("ok2", "B.", "__reserved")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.counter("ok3", "B.", "a", "a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeats");
    assertThatThrownBy(() -> registry.histogram("h", "H.", new double[] {1}, "le"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("histogram h must not have a label named le");
  }

  @Test
  void histogram_bucketsNotIncreasing_fail() {
    MetricsRegistry registry = new MetricsRegistry();

    assertThatThrownBy(() -> registry.histogram("h", "H.", new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("histogram h buckets must be finite and strictly increasing but were [1.0, 1.0]");
    assertThatThrownBy(() -> registry.histogram("h2", "H.", new double[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labels_wrongCount_fails() {
    Counter c = new MetricsRegistry().counter("c_total", "C.", "outcome");

    assertThatThrownBy(() -> c.labels("a", "b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric c_total has labels [outcome] but got 2 values [a, b]");
    assertThatThrownBy(c::inc).isInstanceOf(IllegalStateException.class)
        .hasMessage("metric c_total has labels [outcome]; call labels(...) first");
  }

  @Test
  void counter_negativeIncrement_fails() {
    Counter c = new MetricsRegistry().counter("c_total", "C.");

    assertThatThrownBy(() -> c.inc(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a counter increment must be finite and >= 0 but was -1.0");
  }

  /* --- concurrency --- */

  @Test
  void concurrentUpdates_areAllCounted() throws Exception {
    MetricsRegistry registry = new MetricsRegistry();
    Counter c = registry.counter("c_total", "C.", "k");
    Histogram h = registry.histogram("h", "H.", new double[] {1});
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            c.labels(i % 2 == 0 ? "even" : "odd").inc();
            h.observe(i % 2);
            if (i % 1000 == 0) {
              registry.scrape();
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(registry.scrape()).contains("c_total{k=\"even\"} 20000\n", "c_total{k=\"odd\"} 20000\n",
        "h_bucket{le=\"+Inf\"} 40000\n", "h_count 40000\n", "h_sum 20000\n");
  }
}
