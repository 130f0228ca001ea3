package dev.cohort.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreUrlTest {

  /* --- SQLite --- */

  @Test
  void parse_sqliteScheme_isAnAbsoluteFile() {
    StoreUrl u = StoreUrl.parse("sqlite:/var/lib/cohort/runs.db");

    assertThat(u.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/cohort/runs.db");
    assertThat(u.sqliteFile()).contains(Path.of("/var/lib/cohort/runs.db"));
  }

  @Test
  void parse_sqliteTripleSlash_isTheSameFile() {
    assertThat(StoreUrl.parse("sqlite:///tmp/x.db").sqliteFile()).contains(Path.of("/tmp/x.db"));
  }

  @Test
  void parse_jdbcSqlite_isAccepted() {
    assertThat(StoreUrl.parse("jdbc:sqlite:/tmp/x.db").jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/x.db");
  }

  @Test
  void parse_barePath_isSqliteRelativeToTheWorkingDirectory() {
    StoreUrl u = StoreUrl.parse("data/runs.db");

    assertThat(u.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(u.sqliteFile()).contains(Path.of("data/runs.db").toAbsolutePath());
  }

  @Test
  void parse_inMemory_isRefused() {
    assertThatThrownBy(() -> StoreUrl.parse("jdbc:sqlite::memory:")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in-memory");
  }

  /* --- PostgreSQL --- */

  @Test
  void parse_jdbcPostgresql_isPassedThroughAndRedacted() {
    StoreUrl u = StoreUrl.parse("jdbc:postgresql://db:5432/cohort?user=fl&password=hunter2&ssl=true");

    assertThat(u.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/cohort?user=fl&password=hunter2&ssl=true");
    assertThat(u.redacted()).isEqualTo("jdbc:postgresql://db:5432/cohort?user=fl&password=***&ssl=true");
    assertThat(u.toString()).doesNotContain("hunter2");
  }

  @Test
  void parse_libpqUri_movesCredentialsToParameters() {
    StoreUrl u = StoreUrl.parse("postgresql://fl:p%40ss@db:5433/cohort?sslmode=require");

    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/cohort?sslmode=require&user=fl&password=p%40ss");
    assertThat(u.redacted()).isEqualTo("postgresql://fl:***@db:5433/cohort?sslmode=require");
  }

  /* --- refusals --- */

  @Test
  void parse_otherScheme_isRefusedNamingTheFormsAccepted() {
    assertThatThrownBy(() -> StoreUrl.parse("mysql://u:secret@db/cohort")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported store URL mysql://u:***@db/cohort")
        .hasMessageContaining("sqlite:/path/file.db").hasMessageNotContaining("secret");
  }

  @Test
  void parse_empty_isRefused() {
    assertThatThrownBy(() -> StoreUrl.parse("  ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
  }
}
