package dev.cohort.store;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server on loopback for the tests, from Debian's packages: installed with
 * {@code apt-get install postgresql} if missing (when running as root), initialised with
 * {@code initdb} into a temporary directory (as the {@code postgres} user when running as root,
 * since initdb refuses root), started with {@code pg_ctl} on a free port, and stopped and deleted
 * when the test JVM exits. One server serves the whole test JVM; each test gets its own schema.
 *
 * <p>If PostgreSQL cannot be made available, {@link #shared()} throws, so the PostgreSQL tests fail
 * loudly. Running with {@code -Dcohort.store.postgres=skip} skips them instead (for local runs
 * without root); nothing skips them silently.
 */
public final class PostgresServer {
  static final String PROPERTY = "cohort.store.postgres";
  private static final String USER = "cohort";
  private static PostgresServer shared;
  private static RuntimeException failure;

  private final Path dir;
  private final Path binDir;
  private final int port;
  private final boolean asPostgresUser;
  private final AtomicInteger schemas = new AtomicInteger();

  private PostgresServer(Path dir, Path binDir, int port, boolean asPostgresUser) {
    this.dir = dir;
    this.binDir = binDir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The running server, started on first use; aborts the calling test if skipping was asked for. */
  public static synchronized PostgresServer shared() {
    if ("skip".equals(System.getProperty(PROPERTY))) {
      abort("PostgreSQL tests skipped on request (-D" + PROPERTY + "=skip)");
    }
    if (failure != null) {
      throw failure;
    }
    if (shared == null) {
      try {
        shared = start();
      } catch (Exception e) {
        failure = new IllegalStateException("PostgreSQL is required for these tests and could not be started "
            + "(run as root to have it installed, or pass -D" + PROPERTY + "=skip to skip them): " + e.getMessage(), e);
        throw failure;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-stop"));
    }
    return shared;
  }

  /** A JDBC URL to {@code database} on the server, as the test user (trusted, no password). */
  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  int port() {
    return port;
  }

  /** A store URL for a new, empty schema of its own. */
  public String newStoreUrl() {
    String schema = "t" + ProcessHandle.current().pid() + "_" + schemas.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl("cohort"));
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
    }
    return jdbcUrl("cohort") + "&currentSchema=" + schema;
  }

  private static PostgresServer start() throws Exception {
    Path binDir = findBinDir();
    if (binDir == null) {
      if (!isRoot()) {
        throw new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and "
            + "installing it needs root: apt-get install postgresql");
      }
      install();
      binDir = findBinDir();
      if (binDir == null) {
        throw new IllegalStateException("apt-get install postgresql ran but no /usr/lib/postgresql/*/bin/initdb exists");
      }
    }
    boolean asPostgres = isRoot();
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "cohort-pg-");
    Path data = dir.resolve("data");
    if (asPostgres) {
      run(List.of("chown", "postgres:postgres", dir.toString()), 30);
    }
    run(command(asPostgres, binDir.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
        "-E", "UTF8", "--no-locale", "--no-sync"), 120);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(dir, binDir, port, asPostgres);
    run(command(asPostgres, binDir.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=100", "start"), 90);
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE cohort");
    }
    return server;
  }

  void stop() {
    try {
      run(command(asPostgresUser, binDir.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
          "fast", "-w", "stop"), 60);
    } catch (Exception e) {
      System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static Path findBinDir() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())))
          .orElse(null);
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void install() throws Exception {
    List<String> install = List.of("apt-get", "install", "-y", "-q", "postgresql");
    try {
      run(install, 600);
    } catch (IllegalStateException first) {
      run(List.of("apt-get", "update", "-q"), 600);
      run(install, 600);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> command(boolean asPostgres, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void run(List<String> cmd, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    pb.environment().put("LC_ALL", "C");
    Path log = Files.createTempFile("cohort-pg-cmd", ".log");
    pb.redirectOutput(log.toFile());
    // Start in a directory the postgres user can read.
    pb.directory(Path.of("/tmp").toFile());
    Process p = pb.start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (!done) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s: " + output);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + output);
    }
  }
}
