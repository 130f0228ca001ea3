package dev.cohort.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reading and writing PEM certificates and PKCS#8 keys, with atomic replacement of files. */
public final class PemFiles {
  private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String KEY_END = "-----END PRIVATE KEY-----";

  private PemFiles() {}

  /** The certificates in a PEM file, in file order. */
  public static List<X509Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new PkiException(file + " holds no certificate");
      }
      return out;
    } catch (IOException e) {
      throw new PkiException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new PkiException(file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** The single certificate in a PEM file. */
  public static X509Certificate readCertificate(Path file) {
    return readCertificates(file).getFirst();
  }

  /** The PKCS#8 EC private key in a PEM file. */
  public static PrivateKey readPrivateKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new PkiException("cannot read private key " + file + ": " + e.getMessage(), e);
    }
    int begin = pem.indexOf(KEY_BEGIN);
    int end = pem.indexOf(KEY_END);
    if (begin < 0 || end < begin) {
      throw new PkiException(file + " is not a PEM PKCS#8 private key (no " + KEY_BEGIN + " block)");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + KEY_BEGIN.length(), end));
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new PkiException(file + " holds a corrupt private key: " + e.getMessage(), e);
    }
  }

  /** PEM text of {@code certificates}. */
  public static String toPem(List<X509Certificate> certificates) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certificates) {
      try {
        sb.append(block("CERTIFICATE", c.getEncoded()));
      } catch (CertificateException e) {
        throw new PkiException("cannot encode certificate " + c.getSubjectX500Principal() + ": " + e.getMessage(), e);
      }
    }
    return sb.toString();
  }

  /** PEM text of a PKCS#8 private key. */
  public static String toPem(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  /**
   * Writes {@code text} to {@code file} through a temporary file and an atomic rename, so readers
   * never see half a file; {@code secret} files get mode 600 where the file system has modes.
   */
  public static void writeAtomically(Path file, String text, boolean secret) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Path tmp;
      if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        tmp = Files.createTempFile(dir, ".tmp-", ".pem",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        tmp = Files.createTempFile(dir, ".tmp-", ".pem");
      }
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new PkiException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
