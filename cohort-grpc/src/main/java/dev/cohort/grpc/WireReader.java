package dev.cohort.grpc;

import java.lang.foreign.MemorySegment;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads what {@link WireWriter} wrote, checking every length against the bytes that remain, so
 * corrupt input fails with a {@link CodecException} naming the field instead of allocating huge
 * arrays or reading past the end. Not thread-safe.
 */
final class WireReader {
  private final byte[] buf;
  private int pos;
  private final int limit;

  WireReader(byte[] buf) {
    this.buf = buf;
    this.limit = buf.length;
  }

  int remaining() {
    return limit - pos;
  }

  private void need(long n, String what) {
    if (n > limit - pos) {
      throw new CodecException("truncated input: " + what + " needs " + n + " bytes but only " + (limit - pos)
          + " remain at offset " + pos);
    }
  }

  int readByte(String what) {
    need(1, what);
    return buf[pos++] & 0xFF;
  }

  boolean readBoolean(String what) {
    int b = readByte(what);
    if (b > 1) {
      throw new CodecException("corrupt input: " + what + " is a boolean but holds byte " + b);
    }
    return b == 1;
  }

  /** An unsigned varint that must fit a non-negative int. */
  int readVarint(String what) {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte(what);
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v > Integer.MAX_VALUE) {
          throw new CodecException("corrupt input: " + what + " is " + v + ", beyond the largest length 2^31-1");
        }
        return (int) v;
      }
    }
    throw new CodecException("corrupt input: " + what + " is a varint longer than 5 bytes");
  }

  /** A count of elements each taking at least {@code minBytesEach} bytes; checked against what remains. */
  int readLength(String what, int minBytesEach) {
    int n = readVarint(what + " length");
    if ((long) n * minBytesEach > remaining()) {
      throw new CodecException("truncated input: " + what + " claims " + n + " elements (" + (long) n * minBytesEach
          + " bytes at least) but only " + remaining() + " bytes remain");
    }
    return n;
  }

  int readInt(String what) {
    need(4, what);
    int v = (int) WireWriter.INT.get(buf, pos);
    pos += 4;
    return v;
  }

  long readLong(String what) {
    need(8, what);
    long v = (long) WireWriter.LONG.get(buf, pos);
    pos += 8;
    return v;
  }

  float readFloat(String what) {
    return Float.intBitsToFloat(readInt(what));
  }

  double readDouble(String what) {
    return Double.longBitsToDouble(readLong(what));
  }

  String readString(String what) {
    int n = readLength(what, 1);
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, pos, n)).toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw new CodecException("corrupt input: " + what + " is not valid UTF-8");
    }
  }

  byte[] readBytes(String what) {
    int n = readLength(what, 1);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  float[] readFloats(String what) {
    int n = readLength(what, 4);
    float[] out = new float[n];
    MemorySegment.copy(MemorySegment.ofArray(buf), WireWriter.FLOAT_LE, pos, out, 0, n);
    pos += 4 * n;
    return out;
  }

  int[] readInts(String what) {
    int n = readLength(what, 4);
    int[] out = new int[n];
    MemorySegment.copy(MemorySegment.ofArray(buf), WireWriter.INT_LE, pos, out, 0, n);
    pos += 4 * n;
    return out;
  }

  long[] readLongs(String what) {
    int n = readLength(what, 8);
    long[] out = new long[n];
    MemorySegment.copy(MemorySegment.ofArray(buf), WireWriter.LONG_LE, pos, out, 0, n);
    pos += 8 * n;
    return out;
  }

  double[] readDoubles(String what) {
    int n = readLength(what, 8);
    double[] out = new double[n];
    MemorySegment.copy(MemorySegment.ofArray(buf), WireWriter.DOUBLE_LE, pos, out, 0, n);
    pos += 8 * n;
    return out;
  }

  /** Throws unless every byte was consumed. */
  void expectEnd(String what) {
    if (pos != limit) {
      throw new CodecException("corrupt input: " + (limit - pos) + " unexpected bytes after " + what);
    }
  }
}
