package dev.cohort.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files that {@link IdxReader} (and the usual MNIST tooling) can read, mainly to build
 * small stand-ins for MNIST-format datasets in tests. Stateless and thread-safe.
 */
public final class IdxWriter {
  private IdxWriter() {}

  /** Writes {@code array} to {@code file}, gzip-compressed when {@code gzip} is true. */
  public static void write(Path file, IdxArray array, boolean gzip) throws IOException {
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
      out.write(new byte[] {0, 0, (byte) array.type().code(), (byte) array.rank()});
      for (int d : array.dims()) {
        out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
      }
      out.write(array.payload());
    }
  }
}
