package dev.cohort.cli.config;

/** A configuration that cannot be used; the message is one line naming the key and what is allowed. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
