package dev.cohort.store;

/**
 * The {@link RunStoreContract} on a real PostgreSQL on loopback ({@link PostgresServer}), each test
 * in its own schema. The server starts with the first test; if it cannot, every test fails (or is
 * reported skipped under {@code -Dcohort.store.postgres=skip}).
 */
class PostgresqlRunStoreTest extends RunStoreContract {
  @Override
  String newStoreUrl() {
    return PostgresServer.shared().newStoreUrl() + "&password=secret";
  }

  @Override
  String rawJdbcUrl(String storeUrl) {
    return storeUrl;
  }
}
