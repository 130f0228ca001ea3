package dev.cohort.tensor.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file is not a valid safetensors file, or uses a feature Cohort does not read (a dtype other
 * than F32, an empty tensor). The message starts with the file and, where one is involved, names
 * the tensor.
 */
public final class SafetensorsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** An exception about {@code file}; the message is prefixed with the file. */
  public SafetensorsFormatException(Path file, String problem) {
    super(Objects.requireNonNull(file, "file") + ": " + problem);
    this.file = file;
  }

  /** Same, keeping the cause. */
  public SafetensorsFormatException(Path file, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
