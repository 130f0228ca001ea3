package dev.cohort.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opaque bytes the store keeps without interpreting them: a global model (the project writes
 * safetensors), a strategy's state, a privacy accountant's state.
 *
 * <p>The store writes a payload by streaming it in chunks of {@link #CHUNK_BYTES}, and payloads it
 * returns read their chunks on demand, so a model of hundreds of megabytes never has to be in memory
 * twice, or at all when it goes from or to a file. A payload read from a store can be opened while
 * that store is open; its stream checks the stored SHA-256 when it reaches the end and throws
 * {@link IOException} on a mismatch.
 *
 * <p>Implementations must be readable any number of times and return the same bytes each time.
 */
public interface Payload {
  /** The size of the chunks the store writes and reads: 1 MiB. */
  int CHUNK_BYTES = 1 << 20;

  /** The number of bytes. */
  long size();

  /** A new stream over the bytes, from the start. */
  InputStream openStream() throws IOException;

  /** All the bytes in a new array; for payloads up to 2 GiB. */
  default byte[] toByteArray() {
    if (size() > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("payload of " + size() + " bytes does not fit in an array; use openStream()");
    }
    try (InputStream in = openStream()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length != size()) {
        throw new IOException("payload declared " + size() + " bytes but has " + bytes.length);
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of {@code bytes}, which is not copied: the caller must not change it afterwards. */
  static Payload of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new Payload() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
      }

      @Override
      public byte[] toByteArray() {
        return bytes.clone();
      }

      @Override
      public String toString() {
        return "Payload(" + bytes.length + " bytes)";
      }
    };
  }

  /** No bytes (for example the state of a strategy that has none). */
  static Payload empty() {
    return of(new byte[0]);
  }

  /** The content of {@code file}, read when the payload is opened; the file must not change meanwhile. */
  static Payload ofFile(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("payload file " + file + " is not a readable regular file");
    }
    return new Payload() {
      @Override
      public long size() {
        try {
          return Files.size(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public InputStream openStream() throws IOException {
        return Files.newInputStream(file);
      }

      @Override
      public String toString() {
        return "Payload(" + file + ")";
      }
    };
  }
}
