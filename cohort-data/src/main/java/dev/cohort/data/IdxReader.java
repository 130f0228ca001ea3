package dev.cohort.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a magic number {@code 00 00 TT RR}
 * (element type {@code TT}, see {@link IdxType}, and rank {@code RR}), {@code RR} big-endian
 * 32-bit dimensions, then the elements in row-major order, big-endian.
 *
 * <p>A file is read as gzip when it starts with the gzip magic bytes {@code 1f 8b}, whatever its
 * name. A file that is truncated, carries bytes past the declared data, has an unknown type byte
 * or fails its gzip checksum raises {@link MalformedDataException} naming the file and the
 * problem. Stateless and thread-safe.
 */
public final class IdxReader {
  private static final int BUFFER = 1 << 16;

  private IdxReader() {}

  /** Reads the whole of {@code file}. */
  public static IdxArray read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        GZIPInputStream gz;
        try {
          gz = new GZIPInputStream(raw, BUFFER);
        } catch (IOException e) {
          throw new MalformedDataException(file, "corrupt gzip header (" + e.getMessage() + ")", e);
        }
        try (gz) {
          return new Parse(file, gz, true).array();
        }
      }
      return new Parse(file, raw, false).array();
    }
  }

  /** One pass over one stream; counts the bytes read so that errors can say where the data stops. */
  private static final class Parse {
    private final Path file;
    private final InputStream in;
    private final boolean gzip;
    private long position;

    Parse(Path file, InputStream in, boolean gzip) {
      this.file = file;
      this.in = in;
      this.gzip = gzip;
    }

    IdxArray array() throws IOException {
      byte[] magic = new byte[4];
      int got = fill(magic, "the magic number");
      if (got < 4) {
        throw fail(got == 0 ? "file is empty, expected an IDX magic number"
            : "file ends after " + got + " bytes, inside the 4-byte IDX magic number");
      }
      if (magic[0] != 0 || magic[1] != 0) {
        throw fail(String.format(
            "not an IDX file: magic number is 0x%08X, expected 0x0000TTRR (TT element type, RR rank)",
            be32(magic, 0)));
      }
      IdxType type = IdxType.fromCode(magic[2] & 0xFF);
      if (type == null) {
        throw fail(String.format("unknown IDX element type 0x%02X in magic number 0x%08X; expected one of %s",
            magic[2] & 0xFF, be32(magic, 0), IdxType.validCodes()));
      }
      int rank = magic[3] & 0xFF;
      if (rank == 0) {
        throw fail(String.format("magic number 0x%08X declares 0 dimensions", be32(magic, 0)));
      }
      byte[] dimBytes = new byte[4 * rank];
      got = fill(dimBytes, "the dimensions");
      if (got < dimBytes.length) {
        throw fail("file ends inside the header: " + rank + " dimensions need " + dimBytes.length
            + " bytes but only " + got + " follow the magic number");
      }
      int[] dims = new int[rank];
      BigInteger bytes = BigInteger.valueOf(type.bytesPerElement());
      for (int i = 0; i < rank; i++) {
        dims[i] = be32(dimBytes, 4 * i);
        if (dims[i] < 0) {
          throw fail("dimension " + i + " is " + Integer.toUnsignedString(dims[i])
              + ", more than the 2^31-1 this reader supports");
        }
        bytes = bytes.multiply(BigInteger.valueOf(dims[i]));
      }
      String declared = "header says " + IdxArray.dimsText(dims) + " " + type.description() + "s = "
          + bytes + " bytes";
      if (bytes.compareTo(BigInteger.valueOf(Integer.MAX_VALUE - 8)) > 0) {
        throw fail(declared + ", more than the 2 GiB one array can hold");
      }
      byte[] payload = new byte[bytes.intValueExact()];
      got = fill(payload, declared);
      if (got < payload.length) {
        throw fail(declared + " but the file ends after " + got + " bytes of data");
      }
      int extra;
      try {
        extra = in.read();
      } catch (IOException e) {
        throw fail("corrupt gzip stream after all " + bytes + " bytes of data (" + e.getMessage() + ")", e);
      }
      if (extra != -1) {
        throw fail(declared + " but the file continues past them");
      }
      return IdxArray.of(type, dims, payload);
    }

    /** Reads until {@code buf} is full or the stream ends; returns the number of bytes read. */
    private int fill(byte[] buf, String what) throws IOException {
      int off = 0;
      while (off < buf.length) {
        int n;
        try {
          n = in.read(buf, off, buf.length - off);
        } catch (IOException e) {
          if (!gzip) {
            throw e;
          }
          throw fail("corrupt or truncated gzip stream " + (off == 0 ? "before" : "inside") + " "
              + what + " after " + (position + off) + " decompressed bytes (" + e.getMessage() + ")", e);
        }
        if (n < 0) {
          break;
        }
        off += n;
      }
      position += off;
      return off;
    }

    private MalformedDataException fail(String problem) {
      return new MalformedDataException(file, problem);
    }

    private MalformedDataException fail(String problem, Throwable cause) {
      return new MalformedDataException(file, problem, cause);
    }

    private static int be32(byte[] b, int at) {
      return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
  }
}
