package dev.cohort.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A well-known dataset is not installed where it was looked for. The message says where it was
 * looked for and how to install it, so that a command-line tool can print it as it is.
 */
public final class DatasetNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String dataset;
  private final transient Path directory;

  /** A dataset called {@code dataset} (e.g. "Fashion-MNIST") is missing from {@code directory}. */
  public DatasetNotFoundException(String dataset, Path directory, String message) {
    super(message);
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** The dataset's display name, such as "Fashion-MNIST". */
  public String dataset() {
    return dataset;
  }

  /** The directory that was searched. */
  public Path directory() {
    return directory;
  }
}
