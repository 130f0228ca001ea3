package dev.cohort.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a server trusts at one moment: the CA certificates whose clients it accepts (the current
 * CA and, during a rotation's grace period, the previous ones), the serial numbers revoked, and
 * the names of the enrolled clients. Immutable.
 */
public record TrustSnapshot(List<X509Certificate> cas, Set<BigInteger> revokedSerials, Set<String> enrolled) {
  public TrustSnapshot {
    cas = List.copyOf(Objects.requireNonNull(cas, "cas"));
    revokedSerials = Set.copyOf(Objects.requireNonNull(revokedSerials, "revokedSerials"));
    enrolled = Set.copyOf(Objects.requireNonNull(enrolled, "enrolled"));
    if (cas.isEmpty()) {
      throw new IllegalArgumentException("a trust snapshot needs at least one CA certificate");
    }
  }

  /** Whether {@code certificate} has been revoked. */
  public boolean isRevoked(X509Certificate certificate) {
    return revokedSerials.contains(certificate.getSerialNumber());
  }

  /** Whether a client called {@code name} is enrolled. */
  public boolean isEnrolled(String name) {
    return enrolled.contains(name);
  }
}
