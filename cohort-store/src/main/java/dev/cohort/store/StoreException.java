package dev.cohort.store;

/**
 * The store could not do what was asked for a reason outside the caller's control: the database is
 * unreachable, its schema is newer than this code, a write failed. Messages name the store's URL,
 * never its password.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
