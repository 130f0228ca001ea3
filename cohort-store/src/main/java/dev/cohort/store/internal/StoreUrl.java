package dev.cohort.store.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed store URL: which database, the JDBC URL to reach it, and a form safe to print.
 *
 * @param dialect SQLite or PostgreSQL
 * @param jdbcUrl the JDBC URL, password included
 * @param redacted the URL as given with any password replaced by {@code ***}
 * @param sqliteFile the database file, for SQLite
 */
public record StoreUrl(Dialect dialect, String jdbcUrl, String redacted, Optional<Path> sqliteFile) {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

  public StoreUrl {
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(redacted, "redacted");
    Objects.requireNonNull(sqliteFile, "sqliteFile");
  }

  /** Parses {@code url}; see {@code RunStore.open} for the accepted forms. */
  public static StoreUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    String u = url.strip();
    if (u.isEmpty()) {
      throw new IllegalArgumentException("store URL must not be empty: give sqlite:/path/file.db, a file path, "
          + "or jdbc:postgresql://host:port/db");
    }
    String lower = u.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:sqlite:")) {
      return sqlite(u.substring("jdbc:sqlite:".length()), u);
    }
    if (lower.startsWith("sqlite:")) {
      String rest = u.substring("sqlite:".length());
      if (rest.startsWith("///")) {
        rest = rest.substring(2);
      }
      return sqlite(rest, u);
    }
    if (lower.startsWith("jdbc:postgresql:")) {
      return new StoreUrl(Dialect.POSTGRESQL, u, redact(u), Optional.empty());
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return new StoreUrl(Dialect.POSTGRESQL, fromLibpqUri(u), redact(u), Optional.empty());
    }
    if (SCHEME.matcher(u).find()) {
      throw new IllegalArgumentException("unsupported store URL " + redact(u)
          + ": use sqlite:/path/file.db, jdbc:sqlite:/path/file.db, a file path, or "
          + "jdbc:postgresql://host:port/db?user=...&password=...");
    }
    return sqlite(u, u);
  }

  private static StoreUrl sqlite(String file, String given) {
    if (file.isBlank() || file.contains(":memory:") || file.startsWith("file:") || file.contains("?")) {
      throw new IllegalArgumentException("store URL " + redact(given)
          + " does not name a database file: give sqlite:/path/file.db (an in-memory database would lose every run)");
    }
    Path path = Path.of(file).toAbsolutePath().normalize();
    return new StoreUrl(Dialect.SQLITE, "jdbc:sqlite:" + path, redact(given), Optional.of(path));
  }

  /** {@code postgresql://user:pass@host:port/db?params} in pgjdbc's form, credentials as parameters. */
  private static String fromLibpqUri(String u) {
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed store URL " + redact(u) + ": " + e.getMessage(), e);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("store URL " + redact(u) + " names no host");
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() >= 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
    String userInfo = uri.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      appendParam(query, "user", user);
      if (colon >= 0) {
        appendParam(query, "password", userInfo.substring(colon + 1));
      }
    }
    if (!query.isEmpty()) {
      jdbc.append('?').append(query);
    }
    return jdbc.toString();
  }

  private static void appendParam(StringBuilder query, String name, String value) {
    if (!query.isEmpty()) {
      query.append('&');
    }
    query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  /** {@code url} with the values of password parameters and user-info passwords replaced by ***. */
  public static String redact(String url) {
    String r = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USERINFO_PASSWORD.matcher(r).replaceAll("$1***@");
  }

  @Override
  public String toString() {
    return redacted;
  }
}
