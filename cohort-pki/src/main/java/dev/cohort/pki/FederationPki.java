package dev.cohort.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A federation's certificate authority, kept in one directory. EC P-256 keys, ECDSA-SHA256
 * signatures, PEM files:
 *
 * <pre>
 * ca.crt, ca.key        the CA that signs new certificates
 * ca-bundle.crt         the CAs whose certificates are trusted (the current one, plus previous
 *                       ones during a rotation's grace period)
 * NAME.crt, NAME.key    issued certificates (keys mode 600)
 * enrolled.txt          client names the server accepts, one a line
 * revoked.txt           revoked serial numbers (hex), name and time, one a line
 * issued.txt            every certificate issued: serial, role, name, expiry
 * retired/              previous CA keys and certificates
 * </pre>
 *
 * <p>Usage: {@code FederationPki.init(dir)} once, then {@code issue("server", Role.SERVER,
 * List.of("fl.example.org"))} and {@code issue("site-1", Role.CLIENT, List.of())} (issuing a
 * client certificate enrols it). A server reads {@link #trust()}, whose parts may change while it
 * runs: {@link #revoke}, {@link #enrol}, {@link #rotateCa} and {@link #retirePreviousCas} write
 * files atomically. Not safe for concurrent writers.
 */
public final class FederationPki {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Set<String> RESERVED = Set.of("ca", "ca-bundle", "enrolled", "revoked", "issued", "retired");
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Default validity of issued certificates. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(825);

  private final Path dir;
  private final SecureRandom random = new SecureRandom();

  private FederationPki(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates a new CA in {@code dir}, which must not exist or be empty; refuses to overwrite an
   * existing federation.
   */
  public static FederationPki init(Path dir) {
    Objects.requireNonNull(dir, "dir");
    try {
      if (Files.exists(dir.resolve("ca.key")) || Files.exists(dir.resolve("ca.crt"))) {
        throw new PkiException(dir + " already holds a federation CA; refusing to overwrite it");
      }
      if (Files.exists(dir)) {
        if (!Files.isDirectory(dir)) {
          throw new PkiException(dir + " exists and is not a directory");
        }
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new PkiException(dir + " is not empty; a federation CA needs a directory of its own");
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new PkiException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    FederationPki pki = new FederationPki(dir);
    X509Certificate ca = pki.newCa();
    PemFiles.writeAtomically(dir.resolve("ca-bundle.crt"), PemFiles.toPem(List.of(ca)), false);
    pki.writeLines("enrolled.txt", List.of());
    pki.writeLines("revoked.txt", List.of());
    pki.writeLines("issued.txt", List.of());
    return pki;
  }

  /** Opens an existing federation CA directory. */
  public static FederationPki open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new PkiException(dir + " is not a directory; create a federation CA with 'cohort certs init --dir " + dir + "'");
    }
    if (!Files.isRegularFile(dir.resolve("ca-bundle.crt"))) {
      throw new PkiException(dir + " is not a federation CA directory (no ca-bundle.crt)");
    }
    return new FederationPki(dir);
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** The CA that signs new certificates. */
  public X509Certificate caCertificate() {
    requireCa();
    return PemFiles.readCertificate(dir.resolve("ca.crt"));
  }

  /** The trusted CA certificates (current first during a grace period). */
  public List<X509Certificate> trustedCas() {
    return PemFiles.readCertificates(dir.resolve("ca-bundle.crt"));
  }

  /** Issues a certificate with the default validity; see {@link #issue(String, Role, List, Duration)}. */
  public TlsIdentity issue(String name, Role role, List<String> hosts) {
    return issue(name, role, hosts, DEFAULT_VALIDITY);
  }

  /**
   * Issues a certificate and key for {@code name} (its common name), writing {@code NAME.crt} and
   * {@code NAME.key} (replacing earlier ones, which stay valid until revoked). Server certificates
   * name {@code localhost}, {@code 127.0.0.1} and {@code hosts} (DNS names or IP addresses);
   * client certificates enrol {@code name}.
   */
  public TlsIdentity issue(String name, Role role, List<String> hosts, Duration validity) {
    checkName(name);
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(hosts, "hosts");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive but was " + validity);
    }
    if (role == Role.CLIENT && !hosts.isEmpty()) {
      throw new IllegalArgumentException("client certificates name no hosts but got " + hosts);
    }
    requireCa();
    PrivateKey caKey = PemFiles.readPrivateKey(dir.resolve("ca.key"));
    X509Certificate caCert = caCertificate();
    KeyPair kp = newKeyPair();
    Instant now = Instant.now();
    BigInteger serial = newSerial();
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial,
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), x500(name), kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          role == Role.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      if (role == Role.SERVER) {
        Set<String> all = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        all.addAll(hosts);
        List<GeneralName> names = new ArrayList<>();
        for (String h : all) {
          names.add(isIpAddress(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      X509Certificate cert = sign(b, caKey);
      PemFiles.writeAtomically(dir.resolve(name + ".key"), PemFiles.toPem(kp.getPrivate()), true);
      PemFiles.writeAtomically(dir.resolve(name + ".crt"), PemFiles.toPem(List.of(cert)), false);
      List<String> issued = new ArrayList<>(readLines("issued.txt"));
      issued.add(hex(serial) + " " + role.name().toLowerCase(Locale.ROOT) + " " + name + " "
          + cert.getNotAfter().toInstant());
      writeLines("issued.txt", issued);
      if (role == Role.CLIENT) {
        enrol(name);
      }
      return identity(name);
    } catch (SigningException | CertIOException | GeneralSecurityException e) {
      throw new PkiException("cannot issue a certificate to " + name + ": " + e.getMessage(), e);
    }
  }

  /** The files of {@code name}'s identity; throws if no certificate was issued to it. */
  public TlsIdentity identity(String name) {
    checkName(name);
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
      throw new PkiException("no certificate issued to '" + name + "' in " + dir + "; issued: " + issuedNames());
    }
    return new TlsIdentity(name, crt, key, dir.resolve("ca-bundle.crt"));
  }

  /** Names that certificates were issued to, sorted. */
  public Set<String> issuedNames() {
    Set<String> names = new TreeSet<>();
    for (String line : readLines("issued.txt")) {
      String[] f = line.split(" ");
      if (f.length >= 3) {
        names.add(f[2]);
      }
    }
    return names;
  }

  /** Revokes every certificate issued to {@code name} and unenrols it. */
  public void revoke(String name) {
    checkName(name);
    Set<String> revoked = new LinkedHashSet<>(readLines("revoked.txt"));
    Set<String> already = new TreeSet<>();
    for (String line : revoked) {
      already.add(line.split(" ")[0]);
    }
    boolean found = false;
    for (String line : readLines("issued.txt")) {
      String[] f = line.split(" ");
      if (f.length >= 3 && f[2].equals(name)) {
        found = true;
        if (!already.contains(f[0])) {
          revoked.add(f[0] + " " + name + " " + Instant.now());
        }
      }
    }
    if (!found) {
      throw new PkiException("no certificate issued to '" + name + "' in " + dir + "; issued: " + issuedNames());
    }
    writeLines("revoked.txt", List.copyOf(revoked));
    unenrol(name);
  }

  /** The revoked serial numbers. */
  public Set<BigInteger> revokedSerials() {
    Set<BigInteger> out = new LinkedHashSet<>();
    for (String line : readLines("revoked.txt")) {
      try {
        out.add(new BigInteger(line.split(" ")[0], 16));
      } catch (NumberFormatException e) {
        throw new PkiException(dir.resolve("revoked.txt") + " has a corrupt line: " + line, e);
      }
    }
    return out;
  }

  /** Adds {@code name} to the clients the server accepts. */
  public void enrol(String name) {
    checkName(name);
    Set<String> names = new TreeSet<>(readLines("enrolled.txt"));
    if (names.add(name)) {
      writeLines("enrolled.txt", List.copyOf(names));
    }
  }

  /** Removes {@code name} from the clients the server accepts. */
  public void unenrol(String name) {
    checkName(name);
    Set<String> names = new TreeSet<>(readLines("enrolled.txt"));
    if (names.remove(name)) {
      writeLines("enrolled.txt", List.copyOf(names));
    }
  }

  /** The enrolled client names, sorted. */
  public Set<String> enrolled() {
    return new TreeSet<>(readLines("enrolled.txt"));
  }

  /** Everything a server checks, read now. */
  public TrustSnapshot trust() {
    return new TrustSnapshot(trustedCas(), revokedSerials(), enrolled());
  }

  /**
   * Starts a CA rotation: a new CA signs certificates from now on, the previous one moves to
   * {@code retired/} and stays in the trust bundle, so that certificates it issued keep working
   * until {@link #retirePreviousCas()} ends the grace period.
   */
  public X509Certificate rotateCa() {
    requireCa();
    X509Certificate old = caCertificate();
    try {
      Path retired = Files.createDirectories(dir.resolve("retired"));
      String id = hex(old.getSerialNumber());
      Files.copy(dir.resolve("ca.crt"), retired.resolve("ca-" + id + ".crt"));
      Files.copy(dir.resolve("ca.key"), retired.resolve("ca-" + id + ".key"));
    } catch (IOException e) {
      throw new PkiException("cannot archive the current CA in " + dir.resolve("retired") + ": " + e.getMessage(), e);
    }
    List<X509Certificate> bundle = trustedCas();
    X509Certificate fresh = newCa();
    List<X509Certificate> next = new ArrayList<>();
    next.add(fresh);
    next.addAll(bundle);
    PemFiles.writeAtomically(dir.resolve("ca-bundle.crt"), PemFiles.toPem(next), false);
    return fresh;
  }

  /** Ends a rotation's grace period: only the current CA stays trusted. */
  public void retirePreviousCas() {
    PemFiles.writeAtomically(dir.resolve("ca-bundle.crt"), PemFiles.toPem(List.of(caCertificate())), false);
  }

  /** The common name (CN) of a certificate's subject. */
  public static String commonName(X509Certificate certificate) {
    try {
      LdapName dn = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : dn.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      throw new PkiException("certificate subject " + certificate.getSubjectX500Principal() + " is malformed", e);
    }
    throw new PkiException("certificate subject " + certificate.getSubjectX500Principal() + " has no common name");
  }

  private X509Certificate newCa() {
    KeyPair kp = newKeyPair();
    Instant now = Instant.now();
    BigInteger serial = newSerial();
    X500Name subject = x500("Cohort federation CA " + hex(serial).substring(0, 8));
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial,
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), subject, kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate ca = sign(b, kp.getPrivate());
      PemFiles.writeAtomically(dir.resolve("ca.key"), PemFiles.toPem(kp.getPrivate()), true);
      PemFiles.writeAtomically(dir.resolve("ca.crt"), PemFiles.toPem(List.of(ca)), false);
      return ca;
    } catch (SigningException | CertIOException | GeneralSecurityException e) {
      throw new PkiException("cannot create a CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws SigningException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new SigningException(e);
    }
  }

  private KeyPair newKeyPair() {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
      return kpg.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException("this JDK cannot generate EC P-256 keys: " + e.getMessage(), e);
    }
  }

  private BigInteger newSerial() {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X500Name x500(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).addRDN(BCStyle.O, "Cohort").build();
  }

  private static boolean isIpAddress(String host) {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        InetAddress.ofLiteral(host);
        return true;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("host '" + host + "' is not a valid IP address", e);
      }
    }
    return false;
  }

  private void requireCa() {
    if (!Files.isRegularFile(dir.resolve("ca.key")) || !Files.isRegularFile(dir.resolve("ca.crt"))) {
      throw new PkiException(dir + " has no CA key (ca.key, ca.crt); it can verify but not issue certificates");
    }
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches() || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("certificate name must be 1-64 letters, digits, '.', '_' or '-', "
          + "start with a letter or digit and not be one of " + new TreeSet<>(RESERVED) + ", but was '" + name + "'");
    }
  }

  private List<String> readLines(String file) {
    Path p = dir.resolve(file);
    if (!Files.exists(p)) {
      return List.of();
    }
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new PkiException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private void writeLines(String file, List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    PemFiles.writeAtomically(dir.resolve(file), sb.toString(), false);
  }

  private static String hex(BigInteger serial) {
    return serial.toString(16);
  }

  /** Wraps the checked exceptions of certificate signing. */
  private static final class SigningException extends Exception {
    private static final long serialVersionUID = 1L;

    SigningException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
