package dev.cohort.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file exists but its contents are not what its format requires: a truncated or corrupt
 * IDX file, a CSV row with a field that is not a number. The message starts with the file and
 * says where and what is wrong.
 */
public final class MalformedDataException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** An exception about {@code file}; the message is prefixed with the file. */
  public MalformedDataException(Path file, String problem) {
    super(Objects.requireNonNull(file, "file") + ": " + problem);
    this.file = file;
  }

  /** Same, keeping the low-level cause (for example a {@link java.util.zip.ZipException}). */
  public MalformedDataException(Path file, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
    this.file = file;
  }

  /** The file whose contents are malformed. */
  public Path file() {
    return file;
  }
}
