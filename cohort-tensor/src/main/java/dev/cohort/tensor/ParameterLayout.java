package dev.cohort.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The names, shapes and offsets of a model's parameters inside one contiguous float array.
 * Immutable and thread-safe; two layouts are equal when they have the same entries in the same
 * order, which is what aggregation checks before adding updates together.
 */
public final class ParameterLayout {
  /** One named parameter tensor: its shape and where it starts in the flat array. */
  public record Entry(String name, Shape shape, int offset) {
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(shape, "shape");
    }

    /** The number of elements of this parameter. */
    public int size() {
      return shape.size();
    }
  }

  private final List<Entry> entries;
  private final Map<String, Entry> byName;
  private final int totalSize;

  private ParameterLayout(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    Map<String, Entry> map = new LinkedHashMap<>();
    int total = 0;
    for (Entry e : this.entries) {
      map.put(e.name(), e);
      total = e.offset() + e.size();
    }
    this.byName = Collections.unmodifiableMap(map);
    this.totalSize = total;
  }

  /** A builder that appends parameters in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The parameters in order. */
  public List<Entry> entries() {
    return entries;
  }

  /** The parameter called {@code name}. */
  public Entry entry(String name) {
    Entry e = byName.get(name);
    if (e == null) {
      throw new IllegalArgumentException("no parameter named '" + name + "'; have " + byName.keySet());
    }
    return e;
  }

  /** Whether a parameter called {@code name} exists. */
  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** The total number of floats across all parameters. */
  public int totalSize() {
    return totalSize;
  }

  /** Throws {@link IllegalArgumentException} naming the first difference if {@code other} differs. */
  public void checkCompatible(ParameterLayout other, String what) {
    if (equals(other)) {
      return;
    }
    if (other.entries.size() != entries.size()) {
      throw new IllegalArgumentException(
          what + " has " + other.entries.size() + " parameters but " + entries.size() + " were expected");
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry a = entries.get(i);
      Entry b = other.entries.get(i);
      if (!a.equals(b)) {
        throw new IllegalArgumentException(
            what + " parameter " + i + " is " + b.name() + b.shape() + " but " + a.name() + a.shape()
                + " was expected");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterLayout l && entries.equals(l.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ParameterLayout[");
    for (Entry e : entries) {
      sb.append(e.name()).append(e.shape()).append(' ');
    }
    return sb.append("total=").append(totalSize).append(']').toString();
  }

  /** Appends parameters one after another. Not thread-safe. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Boolean> names = new LinkedHashMap<>();
    private long offset;

    private Builder() {}

    /** Appends a parameter; names must be unique. */
    public Builder add(String name, Shape shape) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("parameter name must not be empty");
      }
      if (names.put(name, Boolean.TRUE) != null) {
        throw new IllegalArgumentException("parameter '" + name + "' was already added");
      }
      if (offset + shape.size() > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("parameters exceed 2^31 floats at '" + name + "'");
      }
      entries.add(new Entry(name, shape, (int) offset));
      offset += shape.size();
      return this;
    }

    public ParameterLayout build() {
      return new ParameterLayout(entries);
    }
  }
}
