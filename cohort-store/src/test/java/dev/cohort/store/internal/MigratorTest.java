package dev.cohort.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrator with made-up scripts on SQLite; the real scripts run in every store test. */
class MigratorTest {
  @TempDir
  Path dir;

  private final Clock clock = Clock.systemUTC();

  private Connection connect(StoreUrl url) throws SQLException {
    return Dialect.SQLITE.connect(url);
  }

  @Test
  void scripts_areNumberedFromOneWithDescriptions() {
    for (Dialect d : Dialect.values()) {
      List<Migrator.Script> scripts = Migrator.scripts(d);
      assertThat(scripts).isNotEmpty();
      assertThat(scripts.getFirst().version()).isEqualTo(1);
      assertThat(scripts.getFirst().description()).startsWith("runs, rounds");
      assertThat(Migrator.latestVersion(d)).isEqualTo(scripts.size());
    }
    assertThat(Migrator.latestVersion(Dialect.SQLITE)).isEqualTo(Migrator.latestVersion(Dialect.POSTGRESQL));
  }

  @Test
  void migrate_appliesOnlyTheNewScripts() throws Exception {
    StoreUrl url = StoreUrl.parse(dir.resolve("m.db").toString());
    Migrator.Script one = Migrator.parse(1, "-- table a\nCREATE TABLE a (x INTEGER);\n");
    Migrator.Script two = Migrator.parse(2, "-- table b\nCREATE TABLE b (y INTEGER);\nINSERT INTO b VALUES (1);\n");
    try (Connection c = connect(url)) {
      assertThat(Migrator.migrate(c, Dialect.SQLITE, url, clock, List.of(one))).isZero();
      assertThat(Migrator.migrate(c, Dialect.SQLITE, url, clock, List.of(one, two))).isEqualTo(1);
      assertThat(Migrator.migrate(c, Dialect.SQLITE, url, clock, List.of(one, two))).isEqualTo(2);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(description) FROM schema_version")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
        assertThat(rs.getString(2)).isEqualTo("table b");
      }
    }
  }

  @Test
  void migrate_failingScript_leavesThePreviousVersion() throws Exception {
    StoreUrl url = StoreUrl.parse(dir.resolve("m.db").toString());
    Migrator.Script one = Migrator.parse(1, "-- a\nCREATE TABLE a (x INTEGER);\n");
    Migrator.Script bad = Migrator.parse(2, "-- b then nonsense\nCREATE TABLE b (y INTEGER);\nCREATE TABLE nonsense(;\n");
    try (Connection c = connect(url)) {
      Migrator.migrate(c, Dialect.SQLITE, url, clock, List.of(one));

      assertThatThrownBy(() -> Migrator.migrate(c, Dialect.SQLITE, url, clock, List.of(one, bad)))
          .isInstanceOf(SQLException.class).hasMessageContaining("migration 2 (b then nonsense) failed");

      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT MAX(version), "
              + "(SELECT COUNT(*) FROM sqlite_master WHERE name = 'b') FROM schema_version")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getInt(2)).isZero();
      }
    }
  }
}
