package dev.cohort.tensor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  /**
   * The reference file, built by hand from the specification: tensor "a" = [1, -2] of shape [2],
   * tensor "b" = [[0.5]] of shape [1, 1], metadata {"format": "pt"}. The JSON is 141 bytes, padded
   * with three spaces to 144 = 0x90.
   */
  private static final String REFERENCE_JSON = "{\"__metadata__\":{\"format\":\"pt\"},"
      + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
      + "\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}";

  private static byte[] referenceBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x90, 0, 0, 0, 0, 0, 0, 0});
    out.writeBytes(REFERENCE_JSON.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes("   ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {
        0x00, 0x00, (byte) 0x80, 0x3f, // 1.0f
        0x00, 0x00, 0x00, (byte) 0xc0, // -2.0f
        0x00, 0x00, 0x00, 0x3f}); // 0.5f
    return out.toByteArray();
  }

  private static ParameterSet referenceParameters() {
    ParameterLayout layout = ParameterLayout.builder().add("a", Shape.of(2)).add("b", Shape.of(1, 1)).build();
    return ParameterSet.wrap(layout, new float[] {1f, -2f, 0.5f});
  }

  /** A safetensors file with {@code json} as its header (padded to 8) followed by {@code data}. */
  private static byte[] file(String json, byte[] data) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(h);
    for (int i = h.length; i < padded; i++) {
      b.put((byte) ' ');
    }
    return b.put(data).array();
  }

  private static byte[] floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /* --- reference bytes --- */

  @Test
  void referenceBytes_haveTheDocumentedLengths() {
    assertThat(REFERENCE_JSON).hasSize(141);
    assertThat(referenceBytes()).hasSize(8 + 144 + 12);
  }

  @Test
  void write_twoTensors_matchesReferenceBytes() throws IOException {
    Path f = dir.resolve("ref.safetensors");
    Safetensors.write(f, referenceParameters(), Map.of("format", "pt"));
    assertThat(Files.readAllBytes(f)).isEqualTo(referenceBytes());
  }

  @Test
  void read_referenceBytes_givesTensorsAndMetadata() throws IOException {
    Safetensors.Contents c = Safetensors.read(write("ref.safetensors", referenceBytes()));
    assertThat(c.parameters().layout()).isEqualTo(referenceParameters().layout());
    assertThat(c.parameters().data()).containsExactly(1f, -2f, 0.5f);
    assertThat(c.metadata()).containsExactly(Map.entry("format", "pt"));
  }

  /* --- in memory --- */

  @Test
  void toBytes_matchesReferenceBytesAndTheFileWrite() {
    assertThat(Safetensors.toBytes(referenceParameters(), Map.of("format", "pt"))).isEqualTo(referenceBytes());
  }

  @Test
  void fromBytes_referenceBytes_givesTensorsAndMetadata() throws IOException {
    Safetensors.Contents c = Safetensors.fromBytes(referenceBytes());
    assertThat(c.parameters().layout()).isEqualTo(referenceParameters().layout());
    assertThat(c.parameters().data()).containsExactly(1f, -2f, 0.5f);
    assertThat(c.metadata()).containsExactly(Map.entry("format", "pt"));
  }

  @Test
  void fromBytes_truncated_isRefusedNamingMemory() {
    byte[] ref = referenceBytes();
    for (int n : new int[] {0, 7, 20, ref.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(ref, n);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Safetensors.fromBytes(cut)).as("%d bytes", n)
          .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("<memory>");
    }
  }

  @Test
  void write_noMetadata_omitsMetadataKeyAndPadsTo8() throws IOException {
    Path f = dir.resolve("plain.safetensors");
    Safetensors.write(f, referenceParameters());
    byte[] bytes = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertThat(n % 8).isZero();
    assertThat(header).startsWith("{\"a\":{\"dtype\":\"F32\"").doesNotContain("__metadata__");
    assertThat(header.strip()).endsWith("}");
  }

  /* --- round trips --- */

  @Test
  void roundTrip_keepsLayoutOrderValuesAndMetadata() throws IOException {
    ParameterLayout layout = ParameterLayout.builder()
        .add("z.weight", Shape.of(3, 2))
        .add("a.bias", Shape.of(3))
        .add("scale", Shape.of())
        .add("名前 \"quoted\"\n", Shape.of(1, 1, 2))
        .build();
    float[] data = new float[layout.totalSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) Math.sin(i) * 1e3f;
    }
    data[0] = Float.MIN_VALUE;
    data[1] = -0f;
    data[2] = Float.NaN;
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("round", "7");
    meta.put("note", "tab\tand \"quotes\" and é");
    Path f = dir.resolve("model.safetensors");
    Safetensors.write(f, ParameterSet.wrap(layout, data), meta);

    Safetensors.Contents c = Safetensors.read(f);
    assertThat(c.parameters().layout()).isEqualTo(layout);
    assertThat(c.parameters().data()).usingElementComparator(Float::compare).containsExactly(data);
    assertThat(c.metadata()).isEqualTo(meta);
  }

  @Test
  void roundTrip_largerThanOneChunk() throws IOException {
    int n = (1 << 20) + (1 << 19) + 3;
    ParameterLayout layout = ParameterLayout.builder().add("w", Shape.of(n)).add("b", Shape.of(5)).build();
    float[] data = new float[layout.totalSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.25f;
    }
    Path f = dir.resolve("big.safetensors");
    Safetensors.write(f, ParameterSet.wrap(layout, data));
    assertThat(Files.size(f)).isEqualTo(8 + Safetensors.header(ParameterSet.wrap(layout, data), Map.of()).length
        + 4L * data.length);
    assertThat(Safetensors.read(f).parameters().data()).isEqualTo(data);
  }

  @Test
  void roundTrip_noParameters() throws IOException {
    Path f = dir.resolve("empty.safetensors");
    Safetensors.write(f, ParameterSet.zeros(ParameterLayout.builder().build()), Map.of("k", "v"));
    Safetensors.Contents c = Safetensors.read(f);
    assertThat(c.parameters().size()).isZero();
    assertThat(c.metadata()).containsEntry("k", "v");
  }

  @Test
  void read_tensorsOutOfOffsetOrderInHeader_orderedByOffset() throws IOException {
    String json = "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
        + "\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    ParameterSet p = Safetensors.read(write("order.safetensors", file(json, floats(1, 2)))).parameters();
    assertThat(p.layout().entries()).extracting(ParameterLayout.Entry::name).containsExactly("first", "second");
    assertThat(p.tensor("second").get(0)).isEqualTo(2f);
  }

  /* --- atomic replacement --- */

  @Test
  void write_existingFile_isReplacedAndNoTempFileRemains() throws IOException {
    Path f = write("ckpt.safetensors", "old contents".getBytes(StandardCharsets.US_ASCII));
    Safetensors.write(f, referenceParameters(), Map.of("format", "pt"));
    assertThat(Files.readAllBytes(f)).isEqualTo(referenceBytes());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void write_failure_leavesOldFileAndNoTempFile() throws IOException {
    Path f = write("ckpt.safetensors", referenceBytes());
    ParameterSet bad = ParameterSet.zeros(ParameterLayout.builder().add("__metadata__", Shape.of(1)).build());
    assertThatThrownBy(() -> Safetensors.write(f, bad, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__metadata__");
    assertThat(Files.readAllBytes(f)).isEqualTo(referenceBytes());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void write_missingDirectory_throwsWithoutCreatingIt() {
    Path f = dir.resolve("no/such/dir/x.safetensors");
    assertThatThrownBy(() -> Safetensors.write(f, referenceParameters())).isInstanceOf(IOException.class);
    assertThat(dir.resolve("no")).doesNotExist();
  }

  /* --- corrupt files --- */

  @Test
  void read_truncatedFile_namesFileTensorAndOffset() throws IOException {
    byte[] ref = referenceBytes();
    Path f = write("cut.safetensors", Arrays.copyOf(ref, ref.length - 4));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("tensor 'b'")
        .hasMessageContaining("[8, 12]")
        .hasMessageContaining("only 8 bytes");
  }

  @Test
  void read_truncatedInsideHeader_saysHowMuchFollows() throws IOException {
    Path f = write("cut.safetensors", Arrays.copyOf(referenceBytes(), 100));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("header length is 144 bytes but only 92 bytes follow");
  }

  @Test
  void read_shorterThanLengthField() throws IOException {
    Path f = write("tiny.safetensors", new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("3 bytes");
  }

  @Test
  void read_hugeHeaderLength_rejectedBeforeReading() throws IOException {
    byte[] bytes = referenceBytes();
    Arrays.fill(bytes, 0, 8, (byte) 0x7f);
    Path f = write("huge.safetensors", bytes);
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("exceeds the limit");
  }

  @Test
  void read_negativeHeaderLength_rejected() throws IOException {
    byte[] bytes = referenceBytes();
    Arrays.fill(bytes, 0, 8, (byte) 0xff);
    Path f = write("neg.safetensors", bytes);
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("18446744073709551615");
  }

  @Test
  void read_overlappingOffsets_namesBothTensors() throws IOException {
    String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    Path f = write("overlap.safetensors", file(json, floats(1, 2)));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class)
        .hasMessageContaining("'a'").hasMessageContaining("'b'").hasMessageContaining("overlap");
  }

  @Test
  void read_holeBetweenTensors_rejected() throws IOException {
    String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    Path f = write("hole.safetensors", file(json, floats(1, 2, 3)));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("bytes 4..8").hasMessageContaining("'b'");
  }

  @Test
  void read_bytesAfterLastTensor_rejected() throws IOException {
    String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    Path f = write("trailing.safetensors", file(json, floats(1, 2)));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("8 bytes but the tensors cover only the first 4");
  }

  @Test
  void read_f16Dtype_namesTensorAndDtype() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
    Path f = write("half.safetensors", file(json, new byte[4]));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("tensor 'w' has dtype F16; only F32 is supported");
  }

  @Test
  void read_shapeDisagreesWithOffsets_namesTensor() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    Path f = write("shape.safetensors", file(json, floats(1, 2)));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class)
        .hasMessageContaining("tensor 'w'").hasMessageContaining("needs 12 bytes").hasMessageContaining("span 8");
  }

  @Test
  void read_emptyTensor_rejectedWithReason() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}}";
    Path f = write("empty.safetensors", file(json, new byte[0]));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("tensor 'w'").hasMessageContaining("empty");
  }

  @Test
  void read_malformedJson_saysWhere() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],}}";
    Path f = write("bad.safetensors", file(json, floats(1)));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("not well-formed JSON").hasMessageContaining("character");
  }

  @Test
  void read_duplicateTensorName_rejected() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    Path f = write("dup.safetensors", file(json, floats(1, 2)));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("duplicate key \"w\"");
  }

  @Test
  void read_headerNotAnObject_rejected() throws IOException {
    Path f = write("array.safetensors", file("[1,2]", new byte[0]));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("must start with '{'");
  }

  @Test
  void read_invalidUtf8_rejected() throws IOException {
    byte[] bytes = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1));
    bytes[10] = (byte) 0xff; // inside the name
    Path f = write("utf8.safetensors", bytes);
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void read_unknownTensorField_rejected() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}";
    Path f = write("extra.safetensors", file(json, floats(1)));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("tensor 'w' has an unknown field \"extra\"");
  }

  @Test
  void read_nonStringMetadata_rejected() throws IOException {
    String json = "{\"__metadata__\":{\"round\":7}}";
    Path f = write("meta.safetensors", file(json, new byte[0]));
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("\"round\" must be a string");
  }

  @Test
  void read_missingFile_throwsNoSuchFile() {
    assertThatThrownBy(() -> Safetensors.read(dir.resolve("absent.safetensors")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  /* --- other readers --- */

  /**
   * Reads our file with a few lines of plain Python (struct + json), an implementation of the
   * specification that shares no code with ours. Skipped without python3.
   */
  @Test
  void write_readableByIndependentPythonParser() throws Exception {
    assumeTrue(python("import json, struct"), "python3 not available");
    Path f = dir.resolve("py.safetensors");
    Safetensors.write(f, referenceParameters(), Map.of("format", "pt"));
    String script = String.join("\n",
        "import json, struct, sys",
        "b = open(sys.argv[1], 'rb').read()",
        "n = struct.unpack('<Q', b[:8])[0]",
        "h = json.loads(b[8:8 + n])",
        "data = b[8 + n:]",
        "out = []",
        "for k in sorted(k for k in h if k != '__metadata__'):",
        "    s, e = h[k]['data_offsets']",
        "    out.append(k + '=' + ','.join(repr(v) for v in struct.unpack('<%df' % ((e - s) // 4), data[s:e])))",
        "print(';'.join(out) + '|' + json.dumps(h['__metadata__']))");
    assertThat(runPython(script, f)).isEqualTo("a=1.0,-2.0;b=0.5|{\"format\": \"pt\"}");
  }

  /** Loads our file with the Hugging Face safetensors package; skipped when it is not installed. */
  @Test
  void write_loadableByHuggingFaceSafetensors() throws Exception {
    assumeTrue(python("import safetensors.numpy"), "python package safetensors not installed");
    Path f = dir.resolve("hf.safetensors");
    Safetensors.write(f, referenceParameters(), Map.of("format", "pt"));
    String script = String.join("\n",
        "import sys",
        "from safetensors.numpy import load_file",
        "from safetensors import safe_open",
        "t = load_file(sys.argv[1])",
        "m = safe_open(sys.argv[1], 'np').metadata()",
        "print('a=%s %s;b=%s %s|%s' % (t['a'].tolist(), t['a'].dtype, t['b'].tolist(), t['b'].shape, m))");
    assertThat(runPython(script, f)).isEqualTo("a=[1.0, -2.0] float32;b=[[0.5]] (1, 1)|{'format': 'pt'}");
  }

  private static boolean python(String imports) {
    try {
      Process p = new ProcessBuilder("python3", "-c", imports).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String runPython(String script, Path file) throws Exception {
    Path py = dir.resolve("check.py");
    Files.writeString(py, script);
    Process p = new ProcessBuilder(List.of("python3", py.toString(), file.toString()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
