package dev.cohort.pki;

/** What a certificate is for: the server's TLS endpoint or a client's identity. */
public enum Role {
  /** A server certificate: serverAuth key usage, host names and addresses as subject alternative names. */
  SERVER,
  /** A client certificate: clientAuth key usage; its common name is the client's id. */
  CLIENT
}
