package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.pki.FederationPki;
import dev.cohort.pki.PkiException;
import dev.cohort.pki.TrustSnapshot;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Names the caller by its TLS certificate's common name and admits it only if that name is
 * enrolled and the certificate is not revoked (the handshake has already checked the CA). A
 * refused call ends with PERMISSION_DENIED or UNAUTHENTICATED and a reason the client can show.
 */
final class PeerIdentityInterceptor implements ServerInterceptor {
  /** An admitted caller. */
  record Peer(ClientId client, X509Certificate certificate) {}

  static final Context.Key<Peer> PEER = Context.key("cohort-peer");

  private final Supplier<TrustSnapshot> trust;
  private final Runnable refresh;
  private final Consumer<String> refusals;

  /** {@code refresh} re-reads the trust if its files changed; it runs before refusing an unknown name. */
  PeerIdentityInterceptor(Supplier<TrustSnapshot> trust, Runnable refresh, Consumer<String> refusals) {
    this.trust = trust;
    this.refresh = refresh;
    this.refusals = refusals;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    String remote = String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    if (ssl == null) {
      return refuse(call, Status.UNAUTHENTICATED, "connection from " + remote + " is not TLS");
    }
    X509Certificate cert;
    try {
      Certificate[] chain = ssl.getPeerCertificates();
      cert = (X509Certificate) chain[0];
    } catch (SSLPeerUnverifiedException | RuntimeException e) {
      return refuse(call, Status.UNAUTHENTICATED, "connection from " + remote + " presented no client certificate");
    }
    String name;
    ClientId client;
    try {
      name = FederationPki.commonName(cert);
      client = ClientId.of(name);
    } catch (PkiException | IllegalArgumentException e) {
      return refuse(call, Status.UNAUTHENTICATED, "client certificate from " + remote + " has no usable name: "
          + e.getMessage());
    }
    TrustSnapshot t = trust.get();
    if (!t.isEnrolled(name)) {
      refresh.run(); // a client enrolled a moment ago should not wait for the next poll
      t = trust.get();
    }
    if (t.isRevoked(cert)) {
      return refuse(call, Status.PERMISSION_DENIED, "client '" + name + "' presented a revoked certificate (serial "
          + cert.getSerialNumber().toString(16) + ")");
    }
    if (!signedByAny(cert, t)) {
      return refuse(call, Status.PERMISSION_DENIED, "client '" + name + "' has a certificate from an untrusted CA");
    }
    if (!t.isEnrolled(name)) {
      return refuse(call, Status.PERMISSION_DENIED, "client '" + name + "' is not enrolled in this federation");
    }
    return Contexts.interceptCall(Context.current().withValue(PEER, new Peer(client, cert)), call, headers, next);
  }

  /** Whether one of the snapshot's CAs signed {@code cert} (a connection may outlive a CA's retirement). */
  static boolean signedByAny(X509Certificate cert, TrustSnapshot t) {
    for (X509Certificate ca : t.cas()) {
      if (ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        try {
          cert.verify(ca.getPublicKey());
          return true;
        } catch (java.security.GeneralSecurityException e) {
          // try the next CA
        }
      }
    }
    return false;
  }

  private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, String reason) {
    refusals.accept(reason);
    call.close(status.withDescription(reason), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
