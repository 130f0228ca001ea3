/**
 * A federation's certificates: {@link dev.cohort.pki.FederationPki} keeps a CA in a directory and
 * issues, enrols, revokes and rotates; {@link dev.cohort.pki.FederationTrustManager} applies a
 * {@link dev.cohort.pki.TrustSnapshot} of that directory to TLS handshakes and can be updated
 * while a server runs.
 *
 * <p>Rotation without re-provisioning every site: {@code rotateCa()} makes a new CA sign from now
 * on while the previous one stays in {@code ca-bundle.crt}; sites get new certificates (and the
 * new bundle) at their own pace, and {@code retirePreviousCas()} ends the grace period. A single
 * site's certificate is renewed by issuing its name again; the old certificate works until
 * revoked.
 */
package dev.cohort.pki;
