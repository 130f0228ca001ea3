package dev.cohort.pki;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files one party needs for mutual TLS: its certificate and PKCS#8 private key (PEM), and the
 * bundle of CA certificates it trusts for its peers.
 *
 * @param name the certificate's common name (a client's id)
 * @param certificate the PEM certificate
 * @param privateKey the PEM PKCS#8 private key (file mode 600)
 * @param trustedCas the PEM bundle of trusted CA certificates
 */
public record TlsIdentity(String name, Path certificate, Path privateKey, Path trustedCas) {
  public TlsIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trustedCas, "trustedCas");
  }
}
