package dev.cohort.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A TLS key manager over an identity's PEM files that can re-read them while a server runs, so
 * its certificate can be renewed (for instance onto a new CA during a rotation) without a
 * restart. Each reload uses a fresh alias, so TLS stacks that cache key material by alias pick
 * up the new certificate. Thread-safe.
 */
public final class ReloadableKeyManager extends X509ExtendedKeyManager {
  private static final char[] PASSWORD = "cohort".toCharArray();
  private static final AtomicInteger GENERATION = new AtomicInteger();

  private final TlsIdentity identity;
  private volatile X509ExtendedKeyManager delegate;
  private volatile X509Certificate certificate;

  /** A key manager over {@code identity}'s certificate and key, read now. */
  public ReloadableKeyManager(TlsIdentity identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
    reload();
  }

  /** Re-reads the certificate and key; later handshakes present them. */
  public void reload() {
    List<X509Certificate> chain = PemFiles.readCertificates(identity.certificate());
    PrivateKey key = PemFiles.readPrivateKey(identity.privateKey());
    checkPair(chain.getFirst(), key);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(identity.name() + "-" + GENERATION.incrementAndGet(), key, PASSWORD,
          chain.toArray(X509Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(ks, PASSWORD);
      for (KeyManager km : kmf.getKeyManagers()) {
        if (km instanceof X509ExtendedKeyManager x) {
          this.delegate = x;
          this.certificate = chain.getFirst();
          return;
        }
      }
      throw new PkiException("the JDK offers no X509ExtendedKeyManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PkiException("cannot load the TLS identity " + identity.certificate() + ": " + e.getMessage(), e);
    }
  }

  /** Throws unless {@code key} belongs to {@code cert} (files caught half-renewed are refused, the old pair kept). */
  private void checkPair(X509Certificate cert, PrivateKey key) {
    try {
      byte[] probe = "cohort-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(probe);
      byte[] sig = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(sig)) {
        throw new PkiException(identity.privateKey() + " does not belong to " + identity.certificate());
      }
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot check " + identity.privateKey() + " against " + identity.certificate() + ": "
          + e.getMessage(), e);
    }
  }

  /** The certificate presented now. */
  public X509Certificate certificate() {
    return certificate;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate.getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return delegate.chooseEngineClientAlias(keyType, issuers, engine);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return delegate.getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return delegate.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate.getPrivateKey(alias);
  }
}
