package dev.cohort.cli;

import dev.cohort.pki.FederationPki;
import dev.cohort.pki.PkiException;
import dev.cohort.pki.Role;
import dev.cohort.pki.TlsIdentity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cohort certs init|issue|revoke|rotate-ca}: the federation's certificate authority. */
@Command(name = "certs", description = "Manage the federation's certificate authority and certificates.",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class, CertsCommand.Revoke.class,
        CertsCommand.RotateCa.class})
final class CertsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose: init, issue, revoke or rotate-ca");
  }

  private static FederationPki open(Path dir) {
    try {
      return FederationPki.open(dir);
    } catch (PkiException e) {
      throw new UserFacingException(e.getMessage(), 2);
    }
  }

  @Command(name = "init", description = "Create a federation CA in an empty directory.")
  static final class Init implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "directory for the CA")
    Path dir;

    @Override
    public Integer call() {
      FederationPki pki;
      try {
        pki = FederationPki.init(dir);
      } catch (PkiException e) {
        throw new UserFacingException(e.getMessage(), 2);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "federation CA created in %s (%s)%n", dir,
          pki.caCertificate().getSubjectX500Principal().getName());
      out.flush();
      return 0;
    }
  }

  @Command(name = "issue", description = "Issue a certificate (a client's is also enrolled).")
  static final class Issue implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA directory")
    Path dir;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "the certificate's name")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "server or client")
    String role;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "issue N client certificates named NAME-0 .. NAME-(N-1), zero-padded as 'cohort sim' names "
            + "its clients (for many clients on one machine)")
    int count;

    @Option(names = "--host", paramLabel = "HOST",
        description = "a DNS name or IP address the server is reached at (repeatable; localhost and 127.0.0.1 always)")
    List<String> hosts = new ArrayList<>();

    @Override
    public Integer call() {
      Role r = switch (role.toLowerCase(Locale.ROOT)) {
        case "server" -> Role.SERVER;
        case "client" -> Role.CLIENT;
        default -> throw new UserFacingException("--role must be server or client, got \"" + role + "\"", 2);
      };
      if (r == Role.CLIENT && !hosts.isEmpty()) {
        throw new UserFacingException("--host applies to server certificates", 2);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (count > 0) {
        if (r != Role.CLIENT) {
          throw new UserFacingException("--count issues client certificates; use it with --role client", 2);
        }
        FederationPki pki = open(dir);
        List<String> names = numberedNames(name, count);
        try {
          for (String n : names) {
            pki.issue(n, r, List.of());
          }
        } catch (PkiException | IllegalArgumentException e) {
          throw new UserFacingException(e.getMessage(), 2);
        }
        out.printf(Locale.ROOT, "%d client certificates issued and enrolled: %s .. %s%n", count, names.getFirst(),
            names.getLast());
        out.flush();
        return 0;
      }
      TlsIdentity id;
      try {
        id = open(dir).issue(name, r, hosts);
      } catch (PkiException | IllegalArgumentException e) {
        throw new UserFacingException(e.getMessage(), 2);
      }
      out.printf(Locale.ROOT, "%s certificate for %s: %s (key %s)%s%n", r.name().toLowerCase(Locale.ROOT), name,
          id.certificate(), id.privateKey(), r == Role.CLIENT ? "; enrolled" : "");
      out.flush();
      return 0;
    }
  }

  /** NAME-0 .. NAME-(n-1), zero-padded to the width of n - 1, as the simulation names its clients. */
  static List<String> numberedNames(String prefix, int n) {
    List<String> out = new ArrayList<>(n);
    int width = String.valueOf(n - 1).length();
    for (int i = 0; i < n; i++) {
      out.add(String.format(Locale.ROOT, "%s-%0" + width + "d", prefix, i));
    }
    return out;
  }

  @Command(name = "revoke", description = "Revoke a certificate; servers refuse it from their next handshake.")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA directory")
    Path dir;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "the certificate's name")
    String name;

    @Override
    public Integer call() {
      try {
        open(dir).revoke(name);
      } catch (PkiException | IllegalArgumentException e) {
        throw new UserFacingException(e.getMessage(), 2);
      }
      spec.commandLine().getOut().println("revoked " + name);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "rotate-ca", description = "Start a new CA; certificates of the old one stay trusted until retired.")
  static final class RotateCa implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA directory")
    Path dir;

    @Option(names = "--retire-previous", description = "stop trusting the previous CAs (end of the grace period)")
    boolean retire;

    @Override
    public Integer call() {
      FederationPki pki = open(dir);
      try {
        if (retire) {
          pki.retirePreviousCas();
          spec.commandLine().getOut().println("previous CAs retired; only " + pki.caCertificate().getSubjectX500Principal()
              .getName() + " is trusted");
        } else {
          var ca = pki.rotateCa();
          spec.commandLine().getOut().println("new CA " + ca.getSubjectX500Principal().getName()
              + "; the previous CA stays trusted until 'cohort certs rotate-ca --retire-previous'");
        }
      } catch (PkiException e) {
        throw new UserFacingException(e.getMessage(), 2);
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
