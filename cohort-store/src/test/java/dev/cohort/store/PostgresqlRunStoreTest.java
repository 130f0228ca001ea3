package dev.cohort.store;

import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link RunStoreContract} on a real PostgreSQL on loopback ({@link PostgresServer}), each test
 * in its own schema.
 */
class PostgresqlRunStoreTest extends RunStoreContract {
  @BeforeAll
  static void startPostgres() {
    PostgresServer.shared();
  }

  @Override
  String newStoreUrl() {
    return PostgresServer.shared().newStoreUrl() + "&password=secret";
  }

  @Override
  String rawJdbcUrl(String storeUrl) {
    return storeUrl;
  }
}
