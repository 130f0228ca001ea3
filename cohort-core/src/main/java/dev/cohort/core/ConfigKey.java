package dev.cohort.core;

import java.util.Objects;

/**
 * A typed key of a {@link ConfigRecord}. Server and client halves of a feature share the same
 * constant, so a setting cannot be misspelt or read with the wrong type on one side.
 *
 * @param name a unique dotted name, e.g. {@code "train.epochs"}
 * @param type the value's class
 */
public record ConfigKey<T>(String name, Class<T> type) {
  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("config key name must not be blank");
    }
  }

  /** A key whose values are of {@code type}. */
  public static <T> ConfigKey<T> of(String name, Class<T> type) {
    return new ConfigKey<>(name, type);
  }

  @Override
  public String toString() {
    return name + ":" + type.getSimpleName();
  }
}
