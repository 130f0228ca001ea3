package dev.cohort.data;

import java.util.Locale;

/** Which part of a dataset that ships with a fixed train/test split to load. */
public enum Split {
  TRAIN,
  TEST;

  /** Parses "train" or "test" (any case), as written in configuration files. */
  public static Split parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "train" -> TRAIN;
      case "test" -> TEST;
      default -> throw new IllegalArgumentException("split must be 'train' or 'test' but was '" + value + "'");
    };
  }

  /** "train" or "test". */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
