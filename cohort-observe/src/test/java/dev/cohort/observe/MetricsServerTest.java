package dev.cohort.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint on loopback, scraped over real HTTP. */
class MetricsServerTest {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private MetricsRegistry registry;
  private MetricsServer server;

  @BeforeEach
  void start() {
    registry = new MetricsRegistry();
    server = MetricsServer.start("127.0.0.1", 0, registry);
  }

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getMetrics_answersTheScrapeInTextFormat() throws Exception {
    registry.counter("things_total", "Things.").inc(3);

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).isEqualTo("""
        # HELP things_total Things.
        # TYPE things_total counter
        things_total 3
        """);
  }

  @Test
  void getMetrics_seesUpdatesBetweenScrapes() throws Exception {
    MetricsObserver observer = new MetricsObserver(registry);
    observer.roundStarted(1, 2);
    assertThat(Exposition.samples(send("GET", "/metrics").body())).containsEntry("cohort_current_round", 1.0);

    observer.roundStarted(2, 2);

    assertThat(Exposition.samples(send("GET", "/metrics").body())).containsEntry("cohort_current_round", 2.0);
  }

  @Test
  void getMetrics_includesTransportSourceReadAtScrapeTime() throws Exception {
    record Traffic(long sent, long received) {}
    Map<String, Traffic> traffic = new java.util.concurrent.ConcurrentHashMap<>();
    traffic.put("alice", new Traffic(100, 2000));
    registry.addSource(TransportMetrics.builder().connectedClients(traffic::size)
        .traffic(() -> traffic, Traffic::sent, Traffic::received).refusals(() -> 1)
        .peakBufferedReplyBytes(() -> 4096).build());
    send("GET", "/metrics");

    traffic.put("bob", new Traffic(5, 7));
    Map<String, Double> s = Exposition.samples(send("GET", "/metrics").body());

    assertThat(s).containsEntry("cohort_connected_clients", 2.0)
        .containsEntry("cohort_bytes_sent_total{client=\"alice\"}", 100.0)
        .containsEntry("cohort_bytes_received_total{client=\"alice\"}", 2000.0)
        .containsEntry("cohort_bytes_sent_total{client=\"bob\"}", 5.0)
        .containsEntry("cohort_bytes_received_total{client=\"bob\"}", 7.0)
        .containsEntry("cohort_connection_refusals_total", 1.0)
        .containsEntry("cohort_reply_buffer_peak_bytes", 4096.0);
  }

  @Test
  void getHealthz_answersOk() throws Exception {
    HttpResponse<String> response = send("GET", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void headMetrics_answersHeadersOnly() throws Exception {
    HttpResponse<String> response = send("HEAD", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void otherPath_is404() throws Exception {
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metrics/extra").statusCode()).isEqualTo(404);
  }

  @Test
  void otherMethod_is405WithAllow() throws Exception {
    HttpResponse<String> response = send("POST", "/metrics");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("DELETE", "/healthz").statusCode()).isEqualTo(405);
  }

  @Test
  void failingSource_is500AndLaterScrapesStillWork() throws Exception {
    boolean[] fail = {true};
    registry.addSource(scrape -> {
      if (fail[0]) {
        throw new IllegalStateException("transport is gone");
      }
    });

    HttpResponse<String> failed = send("GET", "/metrics");
    fail[0] = false;

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).contains("transport is gone");
    assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void close_stopsServingAndIsIdempotent() throws Exception {
    int port = server.port();
    server.close();
    server.close();

    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void start_portInUse_failsNamingTheAddress() {
    assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", server.port(), registry))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot serve metrics on 127.0.0.1:" + server.port());
  }

  @Test
  void start_badPort_fails() {
    assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", 70000, registry))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be in 0..65535 but was 70000");
  }
}
