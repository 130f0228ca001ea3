package dev.cohort.store.internal;

import dev.cohort.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations: scripts {@code migrations/<dialect>/1.sql}, {@code 2.sql}, ... (a
 * first line {@code -- description}), applied in order, each recorded in {@code schema_version}. All
 * pending scripts run in one transaction under a lock, so two processes opening a new store migrate
 * it once and a failed migration leaves the previous version. A database whose version is newer than
 * the newest script is refused: this code would misread it.
 */
public final class Migrator {
  private static final String ROOT = "/dev/cohort/store/migrations/";

  /** One migration script: its version, description and statements. */
  record Script(int version, String description, List<String> statements) {}

  private Migrator() {}

  /** The scripts for {@code dialect}, by version. */
  static List<Script> scripts(Dialect dialect) {
    List<Script> scripts = new ArrayList<>();
    for (int v = 1; ; v++) {
      String path = ROOT + dialect.migrationsDir() + "/" + v + ".sql";
      try (InputStream in = Migrator.class.getResourceAsStream(path)) {
        if (in == null) {
          return scripts;
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        scripts.add(parse(v, text));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read migration " + path, e);
      }
    }
  }

  /** The newest schema version this code knows for {@code dialect}. */
  public static int latestVersion(Dialect dialect) {
    return scripts(dialect).size();
  }

  static Script parse(int version, String text) {
    String description = text.lines().findFirst().filter(l -> l.startsWith("--"))
        .map(l -> l.substring(2).strip()).orElse("migration " + version);
    StringBuilder body = new StringBuilder();
    text.lines().filter(l -> !l.strip().startsWith("--")).forEach(l -> body.append(l).append('\n'));
    List<String> statements = new ArrayList<>();
    for (String s : body.toString().split(";\\s*\\n")) {
      if (!s.isBlank()) {
        statements.add(s.strip());
      }
    }
    return new Script(version, description, statements);
  }

  /**
   * Brings the database on {@code c} to the newest version; returns the version it was at.
   *
   * @throws StoreException if the database is newer than this code
   */
  static int migrate(Connection c, Dialect dialect, StoreUrl url, Clock clock) throws SQLException {
    return migrate(c, dialect, url, clock, scripts(dialect));
  }

  static int migrate(Connection c, Dialect dialect, StoreUrl url, Clock clock, List<Script> scripts)
      throws SQLException {
    dialect.begin(c);
    boolean done = false;
    try {
      dialect.lockForMigration(c);
      Dialect.exec(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
          + "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      int current;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > scripts.size()) {
        throw new StoreException("store " + url + " has schema version " + current
            + " but this version of Cohort knows versions up to " + scripts.size()
            + ": use a newer Cohort with this store, or another store");
      }
      for (Script script : scripts.subList(current, scripts.size())) {
        try (Statement s = c.createStatement()) {
          for (String sql : script.statements()) {
            s.execute(sql);
          }
        } catch (SQLException e) {
          throw new SQLException("migration " + script.version() + " (" + script.description() + ") failed: "
              + e.getMessage(), e.getSQLState(), e);
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
          p.setInt(1, script.version());
          p.setString(2, script.description());
          p.setLong(3, clock.millis());
          p.executeUpdate();
        }
      }
      dialect.commit(c);
      done = true;
      return current;
    } finally {
      if (!done) {
        dialect.rollback(c);
      }
    }
  }
}
