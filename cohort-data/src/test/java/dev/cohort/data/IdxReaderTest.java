package dev.cohort.data;

import static dev.cohort.data.IdxBytes.gzip;
import static dev.cohort.data.IdxBytes.idx;
import static dev.cohort.data.IdxBytes.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /* --- valid files --- */

  @Test
  void read_plainUnsignedBytes() throws IOException {
    byte[] payload = range(12);
    payload[11] = (byte) 200;
    IdxArray a = IdxReader.read(write("images-idx3-ubyte", idx(0x08, new int[] {3, 2, 2}, payload)));
    assertThat(a.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
    assertThat(a.dims()).containsExactly(3, 2, 2);
    assertThat(a.size()).isEqualTo(12);
    assertThat(a.getInt(5)).isEqualTo(5);
    assertThat(a.getInt(11)).isEqualTo(200);
    assertThat(a.toFloatArray()[11]).isEqualTo(200f);
  }

  @Test
  void read_gzipDetectedByContentNotName() throws IOException {
    byte[] plain = idx(0x08, new int[] {4}, new byte[] {9, 8, 7, 6});
    IdxArray zipped = IdxReader.read(write("labels-without-suffix", gzip(plain)));
    IdxArray unzipped = IdxReader.read(write("misleading.gz", plain));
    assertThat(zipped.toIntArray()).containsExactly(9, 8, 7, 6);
    assertThat(unzipped.toIntArray()).containsExactly(9, 8, 7, 6);
  }

  @Test
  void read_signedBytes() throws IOException {
    IdxArray a = IdxReader.read(write("s", idx(0x09, new int[] {2}, new byte[] {-1, 127})));
    assertThat(a.type()).isEqualTo(IdxType.SIGNED_BYTE);
    assertThat(a.toIntArray()).containsExactly(-1, 127);
  }

  @Test
  void read_shortsIntsFloatsDoubles_bigEndian() throws IOException {
    IdxArray s = IdxReader.read(write("short", idx(0x0B, new int[] {2},
        ByteBuffer.allocate(4).putShort((short) -2).putShort((short) 300).array())));
    IdxArray i = IdxReader.read(write("int", idx(0x0C, new int[] {1, 2},
        ByteBuffer.allocate(8).putInt(-70000).putInt(123456789).array())));
    IdxArray f = IdxReader.read(write("float", idx(0x0D, new int[] {2},
        ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f).array())));
    IdxArray d = IdxReader.read(write("double", idx(0x0E, new int[] {1},
        ByteBuffer.allocate(8).putDouble(Math.PI).array())));
    assertThat(s.toIntArray()).containsExactly(-2, 300);
    assertThat(i.toIntArray()).containsExactly(-70000, 123456789);
    assertThat(f.toFloatArray()).containsExactly(1.5f, -0.25f);
    assertThat(f.getDouble(1)).isEqualTo(-0.25);
    assertThat(d.getDouble(0)).isEqualTo(Math.PI);
    assertThatThrownBy(() -> f.getInt(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void writer_roundTripsEveryType() throws IOException {
    for (IdxType type : IdxType.values()) {
      byte[] payload = range(6 * type.bytesPerElement());
      IdxArray original = IdxArray.of(type, new int[] {2, 3}, payload);
      for (boolean gz : new boolean[] {false, true}) {
        Path f = dir.resolve(type + "-" + gz);
        IdxWriter.write(f, original, gz);
        IdxArray back = IdxReader.read(f);
        assertThat(back.type()).isEqualTo(type);
        assertThat(back.dims()).containsExactly(2, 3);
        assertThat(back.payload()).isEqualTo(payload);
        assertThat(Files.readAllBytes(f)[0] == (byte) 0x1f).isEqualTo(gz);
      }
    }
  }

  /* --- corrupt files --- */

  @Test
  void read_truncatedData_namesFileAndCounts() throws IOException {
    byte[] full = idx(0x08, new int[] {3, 2, 2}, range(12));
    Path f = write("train-images-idx3-ubyte", Arrays.copyOf(full, full.length - 7));
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(f + ": header says 3 x 2 x 2 unsigned bytes = 12 bytes but the file ends after 5 bytes of data");
  }

  @Test
  void read_truncatedGzip_namesFile() throws IOException {
    byte[] zipped = gzip(idx(0x08, new int[] {1000}, new byte[1000]));
    Path f = write("train-images-idx3-ubyte.gz", Arrays.copyOf(zipped, zipped.length - 12));
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith(f + ": ")
        .hasMessageContaining("gzip");
  }

  @Test
  void read_gzipChecksumMismatch_rejected() throws IOException {
    byte[] zipped = gzip(idx(0x08, new int[] {4}, new byte[] {1, 2, 3, 4}));
    zipped[zipped.length - 8] ^= 0x55; // CRC32 in the trailer
    Path f = write("crc.gz", zipped);
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("gzip");
  }

  @Test
  void read_bytesAfterData_rejected() throws IOException {
    byte[] full = idx(0x08, new int[] {2}, new byte[] {1, 2});
    Path f = write("long", Arrays.copyOf(full, full.length + 3));
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(f + ": header says 2 unsigned bytes = 2 bytes but the file continues past them");
  }

  @Test
  void read_notIdx_reportsMagicNumber() throws IOException {
    Path f = write("zip", new byte[] {'P', 'K', 3, 4, 0, 0});
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("not an IDX file: magic number is 0x504B0304");
  }

  @Test
  void read_unknownType_listsValidTypes() throws IOException {
    Path f = write("t", idx(0x0A, new int[] {1}, new byte[] {1}));
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("unknown IDX element type 0x0A").hasMessageContaining("0x08 (unsigned byte)");
  }

  @Test
  void read_truncatedHeader_saysSo() throws IOException {
    Path f = write("h", new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0});
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("3 dimensions need 12 bytes but only 6 follow the magic number");
  }

  @Test
  void read_emptyFile_saysEmpty() throws IOException {
    Path f = write("empty", new byte[0]);
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("file is empty");
  }

  @Test
  void read_zeroRank_rejected() throws IOException {
    Path f = write("r0", new byte[] {0, 0, 8, 0});
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("0 dimensions");
  }

  @Test
  void read_dimensionAbove2To31_rejected() throws IOException {
    Path f = write("big", idx(0x08, new int[] {-1}, new byte[0]));
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("dimension 0 is 4294967295");
  }

  @Test
  void read_declaredSizeTooLarge_rejectedBeforeAllocating() throws IOException {
    Path f = write("huge", idx(0x0E, new int[] {100000, 100000}, new byte[0]));
    assertThatThrownBy(() -> IdxReader.read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("100000 x 100000 doubles = 80000000000 bytes, more than the 2 GiB");
  }

  @Test
  void read_missingFile_throwsNoSuchFile() {
    assertThatThrownBy(() -> IdxReader.read(dir.resolve("absent")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  /* --- IdxArray --- */

  @Test
  void of_payloadSizeMismatch_rejected() {
    assertThatThrownBy(() -> IdxArray.of(IdxType.INT, new int[] {2}, new byte[7]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 8 bytes but the payload has 7");
  }
}
