package dev.cohort.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, typed set of settings sent from the server to a client with each instruction
 * (local epochs, learning rate, a privacy layer's clipping norm...). Values are looked up by
 * {@link ConfigKey}, never by bare strings. Thread-safe.
 */
public final class ConfigRecord {
  private static final ConfigRecord EMPTY = new ConfigRecord(Map.of());

  private final Map<ConfigKey<?>, Object> values;

  private ConfigRecord(Map<ConfigKey<?>, Object> values) {
    this.values = values;
  }

  /** A record with no settings. */
  public static ConfigRecord empty() {
    return EMPTY;
  }

  /** A builder starting empty. */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** A builder starting from this record's settings. */
  public Builder toBuilder() {
    return new Builder(values);
  }

  /** The value for {@code key}, if present. */
  public <T> Optional<T> find(ConfigKey<T> key) {
    return Optional.ofNullable(values.get(key)).map(key.type()::cast);
  }

  /** The value for {@code key}; throws naming the key if absent. */
  public <T> T require(ConfigKey<T> key) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("config has no value for " + key.name() + "; present: " + names());
    }
    return key.type().cast(v);
  }

  /** The value for {@code key}, or {@code fallback} if absent. */
  public <T> T get(ConfigKey<T> key, T fallback) {
    return find(key).orElse(fallback);
  }

  /** The keys present, in insertion order. */
  public Map<ConfigKey<?>, Object> asMap() {
    return values;
  }

  private String names() {
    return values.keySet().stream().map(ConfigKey::name).toList().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigRecord r && values.equals(r.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "ConfigRecord" + values;
  }

  /** Accumulates settings; setting a key twice replaces the first value. Not thread-safe. */
  public static final class Builder {
    private final Map<ConfigKey<?>, Object> values;

    private Builder(Map<ConfigKey<?>, Object> start) {
      this.values = new LinkedHashMap<>(start);
    }

    /** Sets {@code key} to {@code value} (non-null, of the key's type). */
    public <T> Builder put(ConfigKey<T> key, T value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, () -> "value for " + key.name());
      values.put(key, key.type().cast(value));
      return this;
    }

    public ConfigRecord build() {
      return values.isEmpty() ? EMPTY : new ConfigRecord(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }
  }
}
