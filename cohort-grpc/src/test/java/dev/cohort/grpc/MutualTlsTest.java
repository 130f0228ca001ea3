package dev.cohort.grpc;

import static dev.cohort.grpc.TestFederation.addOne;
import static dev.cohort.grpc.TestFederation.filled;
import static dev.cohort.grpc.TestFederation.fitRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.Message;
import dev.cohort.pki.FederationPki;
import dev.cohort.pki.Role;
import dev.cohort.pki.TlsIdentity;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who the server lets in: enrolled, unrevoked clients of a trusted CA, across revocations and CA rotations. */
@Timeout(60)
class MutualTlsTest {
  @TempDir Path tmp;

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      GrpcTransportTest.sleep(20);
    }
  }

  /* --- refusals --- */

  @Test
  void clientWithoutACertificate_isRefusedAtTheHandshake() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      try (RawClient anonymous = RawClient.withoutCertificate(fed.port, fed.pki.dir().resolve("ca-bundle.crt"))) {
        anonymous.hello();
        Status s = anonymous.awaitEnd(Duration.ofSeconds(10));
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      }
      assertThat(server.availableClients()).isEmpty();
    }
  }

  @Test
  void clientFromAnotherCa_isRefusedAndTheRefusalLogged() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      fed.enrol("site-1");
      FederationPki foreign = FederationPki.init(tmp.resolve("foreign"));
      TlsIdentity impostor = foreign.issue("site-1", Role.CLIENT, List.of());
      // it trusts our CA for the server's certificate, but its own comes from elsewhere
      TlsIdentity id = new TlsIdentity("site-1", impostor.certificate(), impostor.privateKey(),
          fed.pki.dir().resolve("ca-bundle.crt"));
      GrpcClientConnector c = fed.connect(id, addOne(), b -> b.refusalLimit(2));
      assertThat(c.await(Duration.ofSeconds(20))).contains(GrpcClientConnector.Outcome.REFUSED);
      assertThat(c.connections()).isZero();
      assertThat(server.availableClients()).isEmpty();
      assertThat(server.refusals()).anySatisfy(r ->
          assertThat(r).contains("'site-1'").contains("not signed by a trusted federation CA"));
    }
  }

  @Test
  void revokedClient_isRefused() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      TlsIdentity id = fed.enrol("site-1");
      fed.pki.revoke("site-1");
      fed.pki.enrol("site-1"); // even if someone enrols the name again, the certificate stays revoked
      GrpcServerTransport server = fed.startServer();
      GrpcClientConnector c = fed.connect(id, addOne(), b -> b.refusalLimit(2));
      assertThat(c.await(Duration.ofSeconds(20))).contains(GrpcClientConnector.Outcome.REFUSED);
      assertThat(server.availableClients()).isEmpty();
      assertThat(server.refusals()).anySatisfy(r -> assertThat(r).contains("'site-1'").contains("revoked"));
      assertThat(c.lastError()).containsIgnoringCase("revoked");
    }
  }

  @Test
  void unenrolledClient_isRefusedWithAReasonItCanShow() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      TlsIdentity id = fed.enrol("site-1");
      fed.pki.unenrol("site-1");
      GrpcServerTransport server = fed.startServer();
      GrpcClientConnector c = fed.connect(id, addOne(), b -> b.refusalLimit(2));
      assertThat(c.await(Duration.ofSeconds(20))).contains(GrpcClientConnector.Outcome.REFUSED);
      assertThat(c.lastError()).contains("PERMISSION_DENIED").contains("not enrolled");
      assertThat(server.refusals()).anySatisfy(r -> assertThat(r).contains("'site-1' is not enrolled"));
    }
  }

  @Test
  void serverCertificate_cannotBeUsedAsAClientIdentity() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      fed.pki.enrol("server");
      GrpcServerTransport server = fed.startServer();
      GrpcClientConnector c = fed.connect(fed.pki.identity("server"), addOne(), b -> b.refusalLimit(2));
      assertThat(c.await(Duration.ofSeconds(20))).contains(GrpcClientConnector.Outcome.REFUSED);
      assertThat(server.availableClients()).isEmpty();
    }
  }

  @Test
  void revokingAConnectedClient_disconnectsItWithoutARestart() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      GrpcClientConnector c = fed.connect(fed.enrol("site-1"), addOne(), b -> b.refusalLimit(2));
      fed.connect(fed.enrol("site-2"), addOne());
      assertThat(server.awaitClients(2, Duration.ofSeconds(20))).isTrue();
      fed.pki.revoke("site-1"); // picked up by polling the PKI directory
      assertThat(c.await(Duration.ofSeconds(20))).contains(GrpcClientConnector.Outcome.REFUSED);
      assertThat(server.availableClients()).containsExactly(ClientId.of("site-2"));
    }
  }

  /* --- rotation --- */

  @Test
  void caRotation_servesOldAndNewClientsSideBySideUntilTheGracePeriodEnds() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      TlsIdentity issued = fed.enrol("old-site");
      // the old site keeps its own copy of its files, trusting only the old CA
      Path site = Files.createDirectories(tmp.resolve("old-site"));
      TlsIdentity oldId = new TlsIdentity("old-site",
          Files.copy(issued.certificate(), site.resolve("old-site.crt")),
          Files.copy(issued.privateKey(), site.resolve("old-site.key")),
          Files.copy(issued.trustedCas(), site.resolve("ca.crt")));
      GrpcServerTransport server = fed.startServer();
      fed.connect(oldId, addOne());
      assertThat(server.awaitClients(1, Duration.ofSeconds(20))).isTrue();

      fed.pki.rotateCa();
      TlsIdentity newId = fed.enrol("new-site");
      GrpcClientConnector fresh = fed.connect(newId, addOne(), b -> b.refusalLimit(50));
      assertThat(server.awaitClients(2, Duration.ofSeconds(20))).isTrue();
      assertThat(fresh.connections()).isGreaterThanOrEqualTo(0);
      List<Message> requests = fitRequests(server.availableClients(), filled(TestFederation.twoNn(), 0f), 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(requests, Duration.ofSeconds(20), rec);
      assertThat(rec.failures).isEmpty();
      assertThat(rec.replies).hasSize(2);

      fed.pki.retirePreviousCas();
      server.reloadTrust();
      awaitTrue(() -> server.availableClients().equals(List.of(ClientId.of("new-site"))), "only the new site is left");
      assertThat(server.refusals()).anySatisfy(r -> assertThat(r).contains("old-site").contains("no longer trusted"));
    }
  }

  @Test
  void serverCertificate_renewedOntoTheNewCa_isPresentedWithoutARestart() throws Exception {
    try (TestFederation fed = new TestFederation(tmp.resolve("pki"))) {
      GrpcServerTransport server = fed.startServer();
      GrpcClientConnector old = fed.connect(fed.enrol("old-site"), addOne());
      assertThat(server.awaitClients(1, Duration.ofSeconds(20))).isTrue();

      fed.pki.rotateCa();
      fed.pki.issue("server", Role.SERVER, List.of()); // the server's certificate, now from the new CA
      TlsIdentity issued = fed.enrol("new-site");
      // a site that only knows the new CA can verify the server only once it presents its renewed certificate
      Path newOnly = tmp.resolve("new-ca-only.crt");
      Files.writeString(newOnly, dev.cohort.pki.PemFiles.toPem(List.of(fed.pki.caCertificate())));
      TlsIdentity strict = new TlsIdentity("new-site", issued.certificate(), issued.privateKey(), newOnly);
      server.reloadTrust();
      fed.connect(strict, addOne(), b -> b.refusalLimit(20));
      assertThat(server.awaitClients(2, Duration.ofSeconds(20))).isTrue();
      assertThat(old.connections()).isEqualTo(1); // the old site's connection was never interrupted

      List<Message> requests = fitRequests(server.availableClients(), filled(TestFederation.twoNn(), 0f), 1);
      TestFederation.Recorder rec = new TestFederation.Recorder();
      server.exchange(requests, Duration.ofSeconds(20), rec);
      assertThat(rec.replies).hasSize(2);
    }
  }
}
