package dev.cohort.grpc;

import static dev.cohort.grpc.TestFederation.filled;
import static dev.cohort.grpc.TestFederation.fitRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import dev.cohort.tensor.ParameterSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Clients as separate JVM processes against an in-test server: exit codes and a killed process. */
@Timeout(90)
class MultiProcessTest {
  @TempDir Path tmp;
  private final List<Process> processes = new ArrayList<>();

  private Process client(TestFederation fed, String name, String... extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED", "-Djava.util.logging.config.file=/dev/null",
        ClientProcessMain.class.getName(), fed.pki.dir().toString(), name, String.valueOf(fed.port)));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
    processes.add(p);
    return p;
  }

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void clientProcesses_completeExchangesAndExitZeroWhenTheFederationFinishes() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      List<ClientId> ids = List.of(ClientId.of("site-1"), ClientId.of("site-2"), ClientId.of("site-3"));
      List<Process> sites = new ArrayList<>();
      for (ClientId id : ids) {
        fed.enrol(id.value());
        sites.add(client(fed, id.value()));
      }
      fed.enrol("revoked-site");
      fed.pki.revoke("revoked-site");
      Process revoked = client(fed, "revoked-site");
      assertThat(server.awaitClients(3, Duration.ofSeconds(60))).isTrue();

      ParameterSet global = filled(TestFederation.twoNn(), 0.5f);
      for (int round = 1; round <= 2; round++) {
        List<Message> requests = fitRequests(ids, global, round);
        TestFederation.Recorder rec = new TestFederation.Recorder();
        server.exchange(requests, Duration.ofSeconds(30), rec);
        assertThat(rec.failures).isEmpty();
        for (Message r : requests) {
          assertThat(((FitResult) rec.replyFor(r).payload()).update().data()[7]).isEqualTo(global.data()[7] + 1);
        }
      }
      assertThat(revoked.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(revoked.exitValue()).isEqualTo(2);
      server.close();
      for (Process p : sites) {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
      }
    }
  }

  @Test
  void clientProcessKilledMidRound_isDisconnectedWhileTheOthersComplete() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.rejoinGrace(Duration.ofSeconds(2)));
      fed.enrol("site-1");
      fed.enrol("site-2");
      client(fed, "site-1");
      Process doomed = client(fed, "site-2", "1"); // hangs in round 1
      assertThat(server.awaitClients(2, Duration.ofSeconds(60))).isTrue();
      List<Message> requests = fitRequests(List.of(ClientId.of("site-1"), ClientId.of("site-2")),
          filled(TestFederation.twoNn(), 0f), 1);
      Thread killer = Thread.ofPlatform().start(() -> {
        GrpcTransportTest.sleep(1500);
        doomed.destroyForcibly(); // SIGKILL
      });
      TestFederation.Recorder rec = new TestFederation.Recorder();
      long t0 = System.nanoTime();
      server.exchange(requests, Duration.ofSeconds(40), rec);
      killer.join();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
      assertThat(rec.replyFor(requests.get(0))).isNotNull();
      ClientFailure f = rec.failureFor(requests.get(1));
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.DISCONNECTED);
      assertThat(f.reason()).contains("did not reconnect");
    }
  }

  @Test
  void clientProcessKilledMidRound_andRestarted_isServedTheCurrentRound() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer(b -> b.rejoinGrace(Duration.ofSeconds(30)));
      fed.enrol("site-1");
      fed.enrol("site-2");
      client(fed, "site-1");
      Process doomed = client(fed, "site-2", "1"); // hangs in round 1
      assertThat(server.awaitClients(2, Duration.ofSeconds(60))).isTrue();
      List<Message> requests = fitRequests(List.of(ClientId.of("site-1"), ClientId.of("site-2")),
          filled(TestFederation.twoNn(), 0f), 1);
      Process[] restarted = new Process[1];
      Thread killer = Thread.ofPlatform().start(() -> {
        GrpcTransportTest.sleep(1500);
        doomed.destroyForcibly(); // SIGKILL
        try {
          doomed.waitFor();
          restarted[0] = client(fed, "site-2"); // the same site, started again, does not hang
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(requests, Duration.ofSeconds(60), rec);
      killer.join();
      assertThat(rec.replyFor(requests.get(0))).isNotNull();
      assertThat(rec.replyFor(requests.get(1))).as("the restarted client's reply to the same round").isNotNull();
      assertThat(restarted[0].isAlive()).isTrue();
    }
  }
}
