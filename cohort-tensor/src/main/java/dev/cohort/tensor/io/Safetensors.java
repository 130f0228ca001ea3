package dev.cohort.tensor.io;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes {@link ParameterSet}s as safetensors files, the Hugging Face checkpoint format
 * that PyTorch, JAX and friends load without running code.
 *
 * <p>The layout, per the safetensors specification: an unsigned 64-bit little-endian header
 * length {@code N}; {@code N} bytes of UTF-8 JSON mapping each tensor name to {@code {"dtype",
 * "shape", "data_offsets": [begin, end]}} plus an optional {@code "__metadata__"} object of string
 * to string; then the tensor bytes, little-endian, with offsets relative to the end of the header.
 *
 * <p>{@link #write} stores the tensors as F32 in layout order, back to back, so the data section
 * is the parameter set's flat array byte for byte; it puts {@code "__metadata__"} first (omitted
 * when empty, keys sorted) and pads the header with spaces to a multiple of 8. It writes a
 * temporary file beside the target and renames it into place atomically, so a crash leaves either
 * the old file or the new one, never half of one.
 *
 * <p>{@link #read} accepts files from any conforming writer as long as every tensor is F32 and
 * non-empty. It checks that the header length fits the file (and is at most {@value
 * #MAX_HEADER_BYTES} bytes), that the header is well-formed JSON of the expected shape, and that
 * the tensors' byte ranges match their shapes and cover the data section exactly, without
 * overlaps or holes; a failure raises {@link SafetensorsFormatException} naming the file and
 * tensor. The parameters come back ordered by data offset, so a written layout round-trips.
 *
 * <p>Stateless and thread-safe; concurrent writes to the same path leave one of the files whole.
 */
public final class Safetensors {
  /** The largest header accepted, as in the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final int CHUNK_FLOATS = 1 << 20;

  private Safetensors() {}

  /**
   * A file's parameters and free-form metadata.
   *
   * @param parameters the tensors, in data-offset order
   * @param metadata the {@code "__metadata__"} entries, empty if there were none
   */
  public record Contents(ParameterSet parameters, Map<String, String> metadata) {
    public Contents {
      Objects.requireNonNull(parameters, "parameters");
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  /** Writes {@code parameters} to {@code file} with no metadata. */
  public static void write(Path file, ParameterSet parameters) throws IOException {
    write(file, parameters, Map.of());
  }

  /**
   * Writes {@code parameters} and {@code metadata} to {@code file}, replacing it atomically. The
   * parent directory must exist.
   *
   * @throws IllegalArgumentException if a parameter is called {@code "__metadata__"}
   */
  public static void write(Path file, ParameterSet parameters, Map<String, String> metadata)
      throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] header = header(parameters, metadata);
    Path target = file.toAbsolutePath();
    // A fresh name beside the target (so the rename stays on one file system); CREATE_NEW rather
    // than createTempFile so the file gets the usual umask permissions instead of owner-only.
    Path tmp = target.resolveSibling("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    boolean moved = false;
    try {
      try (FileChannel ch = channel) {
        ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(header.length).put(header).flip();
        writeFully(ch, prefix);
        float[] data = parameters.data();
        ByteBuffer buf = ByteBuffer.allocateDirect(4 * Math.min(CHUNK_FLOATS, Math.max(1, data.length)))
            .order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < data.length; off += CHUNK_FLOATS) {
          int len = Math.min(CHUNK_FLOATS, data.length - off);
          buf.clear();
          buf.asFloatBuffer().put(data, off, len);
          buf.limit(4 * len);
          writeFully(ch, buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * The bytes {@link #write(Path, ParameterSet, Map)} would write, in memory (for a run store's
   * checkpoint); for parameter sets up to about 2 GiB.
   */
  public static byte[] toBytes(ParameterSet parameters, Map<String, String> metadata) {
    byte[] header = header(parameters, metadata);
    float[] data = parameters.data();
    long total = 8L + header.length + 4L * data.length;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a safetensors image of " + total + " bytes does not fit in an array");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length).put(header);
    buf.asFloatBuffer().put(data);
    return buf.array();
  }

  /**
   * Reads the bytes of a safetensors file held in memory, with the checks of {@link #read(Path)};
   * messages name the file as {@code <memory>}.
   *
   * @throws SafetensorsFormatException if the bytes are malformed
   */
  public static Contents fromBytes(byte[] bytes) throws SafetensorsFormatException {
    Objects.requireNonNull(bytes, "bytes");
    Path file = Path.of("<memory>");
    if (bytes.length < 8) {
      throw fail(file, bytes.length + " bytes, fewer than the 8-byte header length that starts a safetensors file");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = buf.getLong();
    if (n < 2 || n > bytes.length - 8L) {
      throw fail(file, "header length " + Long.toUnsignedString(n) + " does not fit in " + bytes.length + " bytes");
    }
    String json;
    try {
      json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
    } catch (CharacterCodingException e) {
      throw fail(file, "header is not valid UTF-8", e);
    }
    long dataLength = bytes.length - 8 - n;
    Header h = parseHeader(file, json, dataLength);
    float[] data = new float[(int) (dataLength / 4)];
    ByteBuffer.wrap(bytes, (int) (8 + n), (int) dataLength).slice().order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer().get(data);
    return new Contents(ParameterSet.wrap(h.layout, data), h.metadata);
  }

  /** The padded UTF-8 JSON header {@link #write} would produce (without the length prefix). */
  static byte[] header(ParameterSet parameters, Map<String, String> metadata) {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(metadata, "metadata");
    StringBuilder json = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      Json.writeString(json, METADATA_KEY);
      json.append(":{");
      boolean first = true;
      for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
        json.append(first ? "" : ",");
        first = false;
        Json.writeString(json, Objects.requireNonNull(e.getKey(), "metadata key"));
        json.append(':');
        Json.writeString(json, Objects.requireNonNull(e.getValue(), "metadata value of " + e.getKey()));
      }
      json.append("},");
    }
    for (ParameterLayout.Entry e : parameters.layout().entries()) {
      if (e.name().equals(METADATA_KEY)) {
        throw new IllegalArgumentException("a parameter must not be called " + METADATA_KEY);
      }
      Json.writeString(json, e.name());
      json.append(":{\"dtype\":\"F32\",\"shape\":[");
      int[] dims = e.shape().dims();
      for (int i = 0; i < dims.length; i++) {
        json.append(i == 0 ? "" : ",").append(dims[i]);
      }
      long begin = 4L * e.offset();
      json.append("],\"data_offsets\":[").append(begin).append(',').append(begin + 4L * e.size()).append("]},");
    }
    if (json.charAt(json.length() - 1) == ',') {
      json.setLength(json.length() - 1);
    }
    json.append('}');
    byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (utf8.length + 7) / 8 * 8;
    byte[] out = new byte[padded];
    System.arraycopy(utf8, 0, out, 0, utf8.length);
    for (int i = utf8.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  /**
   * Reads {@code file}.
   *
   * @throws SafetensorsFormatException if the file is malformed or holds a non-F32 or empty
   *     tensor
   */
  public static Contents read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw fail(file, "file has " + size + " bytes, fewer than the 8-byte header length that starts a safetensors file");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lengthBytes, 0, file, "the header length");
      long n = lengthBytes.flip().getLong();
      if (n < 0 || n > MAX_HEADER_BYTES) {
        throw fail(file, "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
            + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
      }
      if (n > size - 8) {
        throw fail(file, "header length is " + n + " bytes but only " + (size - 8)
            + " bytes follow the 8-byte length field (file truncated?)");
      }
      if (n < 2) {
        throw fail(file, "header length is " + n + " bytes, too short for a JSON object");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
      readFully(ch, headerBytes, 8, file, "the header");
      headerBytes.flip();
      String json;
      try {
        CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(headerBytes);
        json = chars.toString();
      } catch (CharacterCodingException e) {
        throw fail(file, "header is not valid UTF-8", e);
      }
      long dataStart = 8 + n;
      long dataLength = size - dataStart;
      Header h = parseHeader(file, json, dataLength);
      float[] data = new float[(int) (dataLength / 4)];
      ByteBuffer buf = ByteBuffer.allocateDirect(4 * Math.min(CHUNK_FLOATS, Math.max(1, data.length)))
          .order(ByteOrder.LITTLE_ENDIAN);
      long position = dataStart;
      for (int off = 0; off < data.length; off += CHUNK_FLOATS) {
        int len = Math.min(CHUNK_FLOATS, data.length - off);
        buf.clear().limit(4 * len);
        readFully(ch, buf, position, file, "the tensor data");
        buf.flip();
        buf.asFloatBuffer().get(data, off, len);
        position += 4L * len;
      }
      return new Contents(ParameterSet.wrap(h.layout, data), h.metadata);
    }
  }

  private record Header(ParameterLayout layout, Map<String, String> metadata) {}

  private record Span(String name, Shape shape, long begin, long end) {}

  private static Header parseHeader(Path file, String json, long dataLength) throws SafetensorsFormatException {
    if (!json.startsWith("{")) {
      throw fail(file, "header must start with '{' but starts with '" + json.charAt(0) + "'");
    }
    Object root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw fail(file, "header is not well-formed JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> entries)) {
      throw fail(file, "header must be a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Span> spans = new ArrayList<>();
    for (Map.Entry<?, ?> entry : entries.entrySet()) {
      String name = (String) entry.getKey();
      if (name.equals(METADATA_KEY)) {
        if (!(entry.getValue() instanceof Map<?, ?> meta)) {
          throw fail(file, METADATA_KEY + " must be an object of strings");
        }
        for (Map.Entry<?, ?> m : meta.entrySet()) {
          if (!(m.getValue() instanceof String value)) {
            throw fail(file, METADATA_KEY + " entry \"" + m.getKey() + "\" must be a string but is " + m.getValue());
          }
          metadata.put((String) m.getKey(), value);
        }
        continue;
      }
      spans.add(span(file, name, entry.getValue(), dataLength));
    }
    spans.sort(Comparator.comparingLong(Span::begin));
    long expected = 0;
    Span previous = null;
    ParameterLayout.Builder layout = ParameterLayout.builder();
    for (Span s : spans) {
      if (s.begin < expected) {
        throw fail(file, "tensors '" + previous.name + "' (bytes " + previous.begin + ".." + previous.end
            + ") and '" + s.name + "' (bytes " + s.begin + ".." + s.end + ") overlap");
      }
      if (s.begin > expected) {
        throw fail(file, "bytes " + expected + ".." + s.begin + " of the data, before tensor '" + s.name
            + "', belong to no tensor");
      }
      try {
        layout.add(s.name, s.shape);
      } catch (IllegalArgumentException e) {
        throw fail(file, "tensor '" + s.name + "': " + e.getMessage(), e);
      }
      expected = s.end;
      previous = s;
    }
    if (expected != dataLength) {
      throw fail(file, "the data section has " + dataLength + " bytes but the tensors cover only the first "
          + expected);
    }
    return new Header(layout.build(), metadata);
  }

  private static Span span(Path file, String name, Object value, long dataLength) throws SafetensorsFormatException {
    String where = "tensor '" + name + "'";
    if (!(value instanceof Map<?, ?> info)) {
      throw fail(file, where + " must be an object with dtype, shape and data_offsets");
    }
    for (Object key : info.keySet()) {
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw fail(file, where + " has an unknown field \"" + key + "\"");
      }
    }
    Object dtype = info.get("dtype");
    if (!(dtype instanceof String d)) {
      throw fail(file, where + " has no dtype string");
    }
    if (!d.equals("F32")) {
      throw fail(file, where + " has dtype " + d + "; only F32 is supported (convert the tensor to float32)");
    }
    if (!(info.get("shape") instanceof List<?> shapeList)) {
      throw fail(file, where + " has no shape array");
    }
    int[] dims = new int[shapeList.size()];
    long elements = 1;
    for (int i = 0; i < dims.length; i++) {
      if (!(shapeList.get(i) instanceof Long dim) || dim < 0) {
        throw fail(file, where + " has shape " + shapeList + "; dimensions must be non-negative integers");
      }
      if (dim == 0) {
        throw fail(file, where + " has shape " + shapeList + ", an empty tensor, which Cohort does not support");
      }
      if (dim > Integer.MAX_VALUE || (elements *= dim) > Integer.MAX_VALUE - 8) {
        throw fail(file, where + " has shape " + shapeList + ", more than 2^31 elements");
      }
      dims[i] = (int) (long) dim;
    }
    if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
        || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
      throw fail(file, where + " must have data_offsets [begin, end] of two integers but has "
          + info.get("data_offsets"));
    }
    if (begin < 0 || end < begin) {
      throw fail(file, where + " has data_offsets " + offsets + "; need 0 <= begin <= end");
    }
    if (end > dataLength) {
      throw fail(file, where + " has data_offsets " + offsets + " but the data section has only "
          + dataLength + " bytes (file truncated?)");
    }
    if (end - begin != 4 * elements) {
      throw fail(file, where + " has shape " + shapeList + " of F32, which needs " + 4 * elements
          + " bytes, but data_offsets " + offsets + " span " + (end - begin));
    }
    return new Span(name, Shape.of(dims), begin, end);
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file, String what)
      throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw fail(file, "file ends at byte " + at + ", inside " + what);
      }
      at += n;
    }
  }

  private static SafetensorsFormatException fail(Path file, String problem) {
    return new SafetensorsFormatException(file, problem);
  }

  private static SafetensorsFormatException fail(Path file, String problem, Throwable cause) {
    return new SafetensorsFormatException(file, problem, cause);
  }
}
