package dev.cohort.grpc;

import dev.cohort.core.client.ClientRuntime;
import dev.cohort.pki.FederationPki;
import java.time.Duration;
import java.util.List;

/**
 * A client site as its own process, for multi-process tests: {@code ClientProcessMain PKI_DIR NAME
 * PORT [SLOW_ROUND]} connects to 127.0.0.1:PORT as NAME and adds one to every parameter (sleeping
 * a minute in round SLOW_ROUND, if given). Exit status: 0 when the server finishes the federation,
 * 2 when it refuses this client, 1 otherwise.
 */
public final class ClientProcessMain {
  private ClientProcessMain() {}

  public static void main(String[] args) throws Exception {
    FederationPki pki = FederationPki.open(java.nio.file.Path.of(args[0]));
    int slowRound = args.length > 3 ? Integer.parseInt(args[3]) : -1;
    var app = TestFederation.app((fit, ctx) -> {
      if (ctx.round() == slowRound) {
        GrpcTransportTest.sleep(60_000);
      }
      return TestFederation.addOne().fit(fit, ctx);
    });
    try (GrpcClientConnector c = GrpcClientConnector.builder().server("127.0.0.1", Integer.parseInt(args[2]))
        .identity(pki.identity(args[1])).runtime(new ClientRuntime(app, List.of()))
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).refusalLimit(2).start()) {
      GrpcClientConnector.Outcome outcome = c.await();
      System.out.println(args[1] + ": " + outcome + (c.lastError().isEmpty() ? "" : " (" + c.lastError() + ")"));
      System.exit(switch (outcome) {
        case FINISHED -> 0;
        case REFUSED -> 2;
        case CLOSED -> 1;
      });
    }
  }
}
