package dev.cohort.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * At most {@code max} open connections, reused. A connection whose transaction could not be ended
 * cleanly is closed instead of returned. Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {
  interface Factory {
    Connection open() throws SQLException;
  }

  private final Factory factory;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final String name;
  private volatile boolean closed;

  ConnectionPool(String name, int max, Factory factory) {
    this.name = name;
    this.factory = factory;
    this.permits = new Semaphore(max, true);
  }

  Connection acquire() throws SQLException {
    checkOpen();
    permits.acquireUninterruptibly();
    Connection c = idle.pollFirst();
    if (c != null) {
      return c;
    }
    try {
      return factory.open();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  void release(Connection c, boolean discard) {
    try {
      if (discard || closed) {
        closeQuietly(c);
      } else {
        idle.addFirst(c);
        if (closed && idle.remove(c)) {
          closeQuietly(c);
        }
      }
    } finally {
      permits.release();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store " + name + " is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing more to release.
    }
  }
}
