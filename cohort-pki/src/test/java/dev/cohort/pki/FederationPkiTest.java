package dev.cohort.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationPkiTest {
  @TempDir Path tmp;

  /* --- init / open --- */

  @Test
  void init_createsSelfSignedCaAndBundle() throws Exception {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    X509Certificate ca = pki.caCertificate();
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(pki.trustedCas()).containsExactly(ca);
    assertThat(Files.getPosixFilePermissions(tmp.resolve("pki/ca.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void init_existingCa_refusesToOverwrite() {
    FederationPki.init(tmp.resolve("pki"));
    assertThatThrownBy(() -> FederationPki.init(tmp.resolve("pki")))
        .isInstanceOf(PkiException.class).hasMessageContaining("already holds a federation CA");
  }

  @Test
  void init_nonEmptyDirectory_refused() throws Exception {
    Files.writeString(tmp.resolve("notes.txt"), "x");
    assertThatThrownBy(() -> FederationPki.init(tmp)).isInstanceOf(PkiException.class).hasMessageContaining("not empty");
  }

  @Test
  void open_missingOrForeignDirectory_saysWhatIsWrong() throws Exception {
    assertThatThrownBy(() -> FederationPki.open(tmp.resolve("nope")))
        .isInstanceOf(PkiException.class).hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> FederationPki.open(tmp))
        .isInstanceOf(PkiException.class).hasMessageContaining("no ca-bundle.crt");
  }

  /* --- issue --- */

  @Test
  void issue_server_namesLoopbackAndGivenHosts() throws Exception {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    TlsIdentity id = pki.issue("server", Role.SERVER, List.of("fl.example.org", "10.0.0.7"));
    X509Certificate cert = PemFiles.readCertificate(id.certificate());
    cert.verify(pki.caCertificate().getPublicKey());
    List<String> sans = new ArrayList<>();
    for (List<?> san : cert.getSubjectAlternativeNames()) {
      sans.add((String) san.get(1));
    }
    assertThat(sans).containsExactly("localhost", "127.0.0.1", "fl.example.org", "10.0.0.7");
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(FederationPki.commonName(cert)).isEqualTo("server");
    assertThat(pki.enrolled()).isEmpty();
  }

  @Test
  void issue_client_enrolsItWithAPrivateKeyFile() throws Exception {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    TlsIdentity id = pki.issue("site-1", Role.CLIENT, List.of());
    assertThat(pki.enrolled()).containsExactly("site-1");
    assertThat(Files.getPosixFilePermissions(id.privateKey()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(PemFiles.readPrivateKey(id.privateKey()).getAlgorithm()).isEqualTo("EC");
    assertThat(PemFiles.readCertificate(id.certificate()).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
  }

  @Test
  void issue_badNames_rejected() {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    for (String bad : List.of("", "../x", "a b", "ca", "-x")) {
      assertThatThrownBy(() -> pki.issue(bad, Role.CLIENT, List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate name");
    }
    assertThatThrownBy(() -> pki.issue("site", Role.CLIENT, List.of("h")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client certificates name no hosts");
  }

  @Test
  void identity_unknownName_listsIssuedNames() {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    pki.issue("site-1", Role.CLIENT, List.of());
    assertThatThrownBy(() -> pki.identity("site-9"))
        .isInstanceOf(PkiException.class).hasMessageContaining("no certificate issued to 'site-9'")
        .hasMessageContaining("[site-1]");
  }

  /* --- revoke / enrol --- */

  @Test
  void revoke_recordsEverySerialOfTheNameAndUnenrolsIt() {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    X509Certificate first = PemFiles.readCertificate(pki.issue("site-1", Role.CLIENT, List.of()).certificate());
    X509Certificate second = PemFiles.readCertificate(pki.issue("site-1", Role.CLIENT, List.of()).certificate());
    pki.issue("site-2", Role.CLIENT, List.of());
    pki.revoke("site-1");
    assertThat(pki.revokedSerials()).containsExactlyInAnyOrder(first.getSerialNumber(), second.getSerialNumber());
    assertThat(pki.enrolled()).containsExactly("site-2");
    assertThat(pki.trust().isRevoked(second)).isTrue();
  }

  @Test
  void revoke_unknownName_refused() {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    assertThatThrownBy(() -> pki.revoke("ghost")).isInstanceOf(PkiException.class).hasMessageContaining("'ghost'");
  }

  @Test
  void enrol_andUnenrol_editTheList() {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    pki.enrol("b");
    pki.enrol("a");
    pki.enrol("a");
    assertThat(pki.enrolled()).containsExactly("a", "b");
    pki.unenrol("b");
    assertThat(pki.trust().enrolled()).containsExactly("a");
  }

  /* --- trust manager and rotation --- */

  @Test
  void trustManager_acceptsIssuedClientsAndRefusesRevokedAndForeignOnes() throws Exception {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    FederationPki other = FederationPki.init(tmp.resolve("other"));
    X509Certificate good = cert(pki.issue("good", Role.CLIENT, List.of()));
    X509Certificate revoked = cert(pki.issue("bad", Role.CLIENT, List.of()));
    X509Certificate foreign = cert(other.issue("good", Role.CLIENT, List.of()));
    pki.revoke("bad");
    List<String> refusals = new ArrayList<>();
    FederationTrustManager tm = new FederationTrustManager(pki.trust(), refusals::add);

    tm.checkClientTrusted(new X509Certificate[] {good}, "ECDHE_ECDSA");
    assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[] {revoked}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("'bad'").hasMessageContaining("revoked");
    assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[] {foreign}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("not signed by a trusted federation CA");
    assertThat(refusals).hasSize(2);
  }

  @Test
  void rotateCa_trustsOldAndNewUntilTheGracePeriodEnds() throws Exception {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    X509Certificate oldCa = pki.caCertificate();
    X509Certificate old = cert(pki.issue("old-site", Role.CLIENT, List.of()));
    X509Certificate newCa = pki.rotateCa();
    X509Certificate fresh = cert(pki.issue("new-site", Role.CLIENT, List.of()));
    fresh.verify(newCa.getPublicKey());
    assertThat(pki.trustedCas()).containsExactly(newCa, oldCa);
    assertThat(Files.list(tmp.resolve("pki/retired")).count()).isEqualTo(2);

    FederationTrustManager tm = new FederationTrustManager(pki.trust(), r -> {});
    tm.checkClientTrusted(new X509Certificate[] {old}, "ECDHE_ECDSA");
    tm.checkClientTrusted(new X509Certificate[] {fresh}, "ECDHE_ECDSA");

    pki.retirePreviousCas();
    tm.update(pki.trust());
    tm.checkClientTrusted(new X509Certificate[] {fresh}, "ECDHE_ECDSA");
    assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[] {old}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  private static X509Certificate cert(TlsIdentity id) {
    return PemFiles.readCertificate(id.certificate());
  }
}
