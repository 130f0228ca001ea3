package dev.cohort.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.ClientId;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.ModelEvaluation;
import dev.cohort.core.client.ClientApp;
import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.ClientRuntime;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.strategy.FedAvg;
import dev.cohort.server.Coordinator;
import dev.cohort.server.RunObserver;
import dev.cohort.sim.InProcessTransport;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A real coordinator over the in-process transport, observed by the metrics and logging
 * observers, with the metrics scraped over HTTP and the logs parsed back: the wiring the server
 * command uses, minus gRPC.
 */
class ObservedRunTest {
  private static final ParameterLayout LAYOUT = ParameterLayout.builder().add("w", Shape.of(2)).build();

  /** Sends back an update of ones, trained on {@code examples} examples. */
  private record OnesClient(long examples) implements ClientApp {
    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
      return new FitResult(ParameterSet.wrap(LAYOUT, new float[] {1, 1}), examples, MetricRecord.of("loss", 0.5));
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
      return new EvaluateResult(0.5, examples, MetricRecord.empty());
    }
  }

  /** Fails every request. */
  private static final class BrokenClient implements ClientApp {
    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
      throw new IllegalStateException("disk on fire");
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
      throw new IllegalStateException("disk on fire");
    }
  }

  @Test
  void runWithAFailingClient_isVisibleInMetricsAndJsonLogs() throws Exception {
    MetricsRegistry registry = new MetricsRegistry();
    List<ClientId> ids = List.of(ClientId.of("alice"), ClientId.of("bob"), ClientId.of("mallory"));
    registry.addSource(TransportMetrics.builder().connectedClients(ids::size).build());
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    Logger root = Logger.getLogger("");
    Handler[] savedHandlers = root.getHandlers();
    Level savedLevel = root.getLevel();
    Handler handler = StructuredLogging.install(Level.INFO, logs);
    try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry);
        HttpClient http = HttpClient.newHttpClient();
        InProcessTransport transport = InProcessTransport.create(ids, id -> new ClientRuntime(
            id.value().equals("mallory") ? new BrokenClient() : new OnesClient(10), List.of()), 2)) {
      Coordinator.builder().transport(transport).strategy(FedAvg.builder().minClients(2).build())
          .initialParameters(ParameterSet.zeros(LAYOUT)).rounds(2).roundTimeout(Duration.ofSeconds(30))
          .evaluator(global -> new ModelEvaluation(0.2, 0.75, 50))
          .observer(RunObserver.all(new MetricsObserver(registry), new LoggingObserver())).build().run();

      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

      Map<String, Double> s = Exposition.samples(response.body());
      assertThat(s).containsEntry("cohort_rounds_total{outcome=\"completed\"}", 2.0)
          .containsEntry("cohort_round_seconds_count", 2.0)
          .containsEntry("cohort_round_participants", 2.0)
          .containsEntry("cohort_round_sampled", 3.0)
          .containsEntry("cohort_client_results_total{result=\"success\"}", 4.0)
          .containsEntry("cohort_client_results_total{result=\"failure\"}", 2.0)
          .containsEntry("cohort_client_failures_total{kind=\"client_error\"}", 2.0)
          .containsEntry("cohort_model_accuracy", 0.75)
          .containsEntry("cohort_current_round", 2.0)
          .containsEntry("cohort_run_finished", 1.0)
          .containsEntry("cohort_connected_clients", 3.0);
    } finally {
      root.removeHandler(handler);
      for (Handler h : savedHandlers) {
        root.addHandler(h);
      }
      root.setLevel(savedLevel);
    }

    List<JsonNode> rounds = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode n = json.readTree(line);
      if ("round_ended".equals(n.path("event").asText())) {
        rounds.add(n);
      }
    }
    assertThat(rounds).hasSize(2);
    assertThat(rounds.get(1).get("round").asInt()).isEqualTo(2);
    assertThat(rounds.get(1).get("contributors").asInt()).isEqualTo(2);
    assertThat(rounds.get(1).get("failures").get(0).get("client").asText()).isEqualTo("mallory");
    assertThat(rounds.get(1).get("failures").get(0).get("kind").asText()).isEqualTo("client_error");
  }
}
