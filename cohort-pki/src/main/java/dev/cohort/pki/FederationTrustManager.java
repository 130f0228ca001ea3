package dev.cohort.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS trust manager over a {@link TrustSnapshot} that can be replaced while connections are
 * being made, so a server picks up a CA rotation or a revocation without restarting. A peer is
 * trusted when its chain verifies (PKIX: signature, validity, key usage) against one of the
 * snapshot's CAs and its certificate is not revoked; every refusal is reported to the listener
 * with a reason naming the certificate. Enrolment is checked by the transport, not here.
 * {@link #getAcceptedIssuers()} is empty on purpose (see there).
 * Thread-safe.
 */
public final class FederationTrustManager extends X509ExtendedTrustManager {
  private record State(TrustSnapshot snapshot, X509ExtendedTrustManager pkix) {}

  private final Consumer<String> refusals;
  private volatile State state;

  /** A trust manager over {@code snapshot}, reporting each refused peer to {@code refusals}. */
  public FederationTrustManager(TrustSnapshot snapshot, Consumer<String> refusals) {
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    update(snapshot);
  }

  /** Trusts {@code snapshot} from the next handshake on. */
  public void update(TrustSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    this.state = new State(snapshot, pkix(snapshot.cas()));
  }

  /** What is trusted now. */
  public TrustSnapshot snapshot() {
    return state.snapshot;
  }

  private static X509ExtendedTrustManager pkix(List<X509Certificate> cas) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        ks.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new PkiException("the JDK offers no X509ExtendedTrustManager for PKIX");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PkiException("cannot build a trust manager over " + cas.size() + " CA certificates: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Check {
    void run(X509ExtendedTrustManager tm) throws CertificateException;
  }

  private void verify(X509Certificate[] chain, String peer, Check check) throws CertificateException {
    State s = state;
    if (chain == null || chain.length == 0) {
      refuse(peer + " presented no certificate");
    }
    X509Certificate leaf = chain[0];
    String who = describe(leaf);
    try {
      check.run(s.pkix);
    } catch (CertificateException e) {
      refuse(peer + " " + who + " is not signed by a trusted federation CA (" + e.getMessage() + ")");
    }
    if (s.snapshot.isRevoked(leaf)) {
      String reason = peer + " " + who + " has been revoked";
      refusals.accept(reason);
      // this type makes TLS stacks send the peer a certificate_revoked alert rather than a generic one
      throw new RevokedCertificate(reason, leaf);
    }
  }

  private void refuse(String reason) throws CertificateException {
    refusals.accept(reason);
    throw new CertificateException(reason);
  }

  /** A revoked peer certificate, with a message naming it. */
  static final class RevokedCertificate extends java.security.cert.CertificateRevokedException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    RevokedCertificate(String reason, X509Certificate leaf) {
      super(new java.util.Date(), java.security.cert.CRLReason.UNSPECIFIED, leaf.getIssuerX500Principal(),
          java.util.Map.of());
      this.reason = reason;
    }

    @Override
    public String getMessage() {
      return reason;
    }
  }

  private static String describe(X509Certificate c) {
    String cn;
    try {
      cn = FederationPki.commonName(c);
    } catch (PkiException e) {
      cn = c.getSubjectX500Principal().getName();
    }
    return "certificate '" + cn + "' (serial " + c.getSerialNumber().toString(16) + ", issuer "
        + c.getIssuerX500Principal().getName() + ")";
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    verify(chain, "client", tm -> tm.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    verify(chain, "client", tm -> tm.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain, "client", tm -> tm.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    verify(chain, "server", tm -> tm.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    verify(chain, "server", tm -> tm.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain, "server", tm -> tm.checkServerTrusted(chain, authType));
  }

  /**
   * None: a server asks for a client certificate without naming acceptable CAs, so a client
   * presents its certificate whichever CA signed it. That way a client of a CA added by a
   * rotation after the server started is accepted, and a client of a foreign CA reaches {@link
   * #checkClientTrusted} and is refused there with a logged reason, instead of silently sending
   * no certificate.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
