package dev.cohort.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** What differs between the two databases: connecting, transactions, locks, error codes. */
public enum Dialect {
  /**
   * SQLite in WAL mode with {@code synchronous=FULL}: a commit is on disk (the WAL is fsynced) when
   * {@code COMMIT} returns, so an acknowledged round survives a power loss too, not only a killed
   * process; the cost is one fsync per round, small next to writing the checkpoint. Writers take the
   * write lock when their transaction begins ({@code BEGIN IMMEDIATE}), so two writers wait for each
   * other (busy timeout) instead of failing on a lock upgrade. Readers do not block the writer.
   */
  SQLITE("sqlite") {
    @Override
    Connection connect(StoreUrl url) throws SQLException {
      Path file = url.sqliteFile().orElseThrow();
      try {
        Path parent = file.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (IOException e) {
        throw new SQLException("cannot create the directory of " + file + ": " + e, e);
      }
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setBusyTimeout(60_000);
      // A 300 MB checkpoint makes a 300 MB WAL; give the space back after the next checkpoint.
      config.setJournalSizeLimit(64 << 20);
      config.enforceForeignKeys(true);
      return DriverManager.getConnection(url.jdbcUrl(), config.toProperties());
    }

    @Override
    void begin(Connection c) throws SQLException {
      exec(c, "BEGIN IMMEDIATE");
    }

    @Override
    void beginRead(Connection c) throws SQLException {
      exec(c, "BEGIN DEFERRED");
    }

    @Override
    void commit(Connection c) throws SQLException {
      exec(c, "COMMIT");
    }

    @Override
    void rollback(Connection c) throws SQLException {
      try {
        exec(c, "ROLLBACK");
      } catch (SQLException e) {
        // SQLite may already have rolled back on its own (for example on a full disk).
        if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
          throw e;
        }
      }
    }

    @Override
    void lockForMigration(Connection c) {
      // BEGIN IMMEDIATE already holds the database's write lock.
    }

    @Override
    String lockRunSql() {
      return "SELECT status FROM runs WHERE id = ?";
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return e instanceof SQLiteException s
          && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
              || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
    }
  },

  /**
   * PostgreSQL at READ COMMITTED with the server's durable commits; a commit locks its run's row
   * ({@code FOR UPDATE}) so rounds of one run are committed one after the other, and migrations hold
   * a transaction-scoped advisory lock so two servers starting together migrate once.
   */
  POSTGRESQL("postgresql") {
    @Override
    Connection connect(StoreUrl url) throws SQLException {
      return DriverManager.getConnection(url.jdbcUrl());
    }

    @Override
    void begin(Connection c) throws SQLException {
      c.setAutoCommit(false);
    }

    @Override
    void beginRead(Connection c) throws SQLException {
      c.setAutoCommit(false);
      exec(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    @Override
    void commit(Connection c) throws SQLException {
      c.commit();
      c.setAutoCommit(true);
    }

    @Override
    void rollback(Connection c) throws SQLException {
      c.rollback();
      c.setAutoCommit(true);
    }

    @Override
    void lockForMigration(Connection c) throws SQLException {
      // An arbitrary constant naming "cohort-store migrations".
      exec(c, "SELECT pg_advisory_xact_lock(7158734650982156801)");
    }

    @Override
    String lockRunSql() {
      return "SELECT status FROM runs WHERE id = ? FOR UPDATE";
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return "23505".equals(e.getSQLState());
    }
  };

  private final String migrationsDir;

  Dialect(String migrationsDir) {
    this.migrationsDir = migrationsDir;
  }

  /** The resource directory of this database's migration scripts. */
  String migrationsDir() {
    return migrationsDir;
  }

  abstract Connection connect(StoreUrl url) throws SQLException;

  /** Begins a write transaction. */
  abstract void begin(Connection c) throws SQLException;

  /** Begins a read-only transaction that sees one snapshot. */
  abstract void beginRead(Connection c) throws SQLException;

  abstract void commit(Connection c) throws SQLException;

  abstract void rollback(Connection c) throws SQLException;

  abstract void lockForMigration(Connection c) throws SQLException;

  /** Selects a run's status and locks its row until the transaction ends; one parameter: the run id. */
  abstract String lockRunSql();

  abstract boolean isUniqueViolation(SQLException e);

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
