package dev.cohort.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadableKeyManagerTest {
  @TempDir Path tmp;

  @Test
  void reload_presentsARenewedCertificateUnderANewAlias() {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    TlsIdentity id = pki.issue("server", Role.SERVER, List.of());
    ReloadableKeyManager km = new ReloadableKeyManager(id);
    String alias = km.chooseServerAlias("EC", null, null);
    X509Certificate first = km.getCertificateChain(alias)[0];

    pki.rotateCa();
    pki.issue("server", Role.SERVER, List.of());
    km.reload();
    String renewed = km.chooseServerAlias("EC", null, null);
    assertThat(renewed).isNotEqualTo(alias);
    X509Certificate second = km.getCertificateChain(renewed)[0];
    assertThat(second.getIssuerX500Principal()).isEqualTo(pki.caCertificate().getSubjectX500Principal());
    assertThat(second).isNotEqualTo(first).isEqualTo(km.certificate());
    assertThat(km.getPrivateKey(renewed)).isNotNull();
  }

  @Test
  void reload_halfRenewedFiles_areRefusedAndTheOldPairKept() throws Exception {
    FederationPki pki = FederationPki.init(tmp.resolve("pki"));
    TlsIdentity id = pki.issue("server", Role.SERVER, List.of());
    ReloadableKeyManager km = new ReloadableKeyManager(id);
    X509Certificate before = km.certificate();
    TlsIdentity other = pki.issue("other", Role.SERVER, List.of());
    Files.copy(other.privateKey(), id.privateKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(km::reload).isInstanceOf(PkiException.class).hasMessageContaining("does not belong to");
    assertThat(km.certificate()).isEqualTo(before);
  }
}
