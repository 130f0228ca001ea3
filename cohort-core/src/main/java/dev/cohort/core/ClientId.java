package dev.cohort.core;

import java.util.Objects;

/** The identity of one data holder in a federation: a non-blank name, unique within a run. */
public record ClientId(String value) implements Comparable<ClientId> {
  public ClientId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("client id must not be blank");
    }
  }

  /** A client id. */
  public static ClientId of(String value) {
    return new ClientId(value);
  }

  @Override
  public int compareTo(ClientId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
