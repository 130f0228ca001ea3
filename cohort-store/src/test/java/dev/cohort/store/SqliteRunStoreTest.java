package dev.cohort.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RunStoreContract} on SQLite files, plus what is particular to SQLite. */
class SqliteRunStoreTest extends RunStoreContract {
  @TempDir
  Path dir;
  private int stores;

  @Override
  String newStoreUrl() {
    return "sqlite:" + dir.resolve("store-" + (++stores) + ".db");
  }

  @Override
  String rawJdbcUrl(String storeUrl) {
    return "jdbc:" + storeUrl;
  }

  @Test
  void open_usesWriteAheadLogWithFullSync() throws Exception {
    try (Connection c = DriverManager.getConnection(rawJdbcUrl(url));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void open_createsMissingDirectories() {
    Path file = dir.resolve("a/b/runs.db");

    try (RunStore s = RunStore.open(file.toString())) {
      s.createRun("r", "", 1);
    }

    assertThat(file).exists();
  }

  @Test
  void defaultUrl_isAFileInTheDataDirectory() {
    assertThat(RunStore.defaultUrl(dir)).isEqualTo("sqlite:" + dir.toAbsolutePath().resolve("cohort-runs.db"));
  }
}
