package dev.cohort.grpc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer. Not thread-safe. */
final class WireWriter {
  static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int pos;

  WireWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(long more) {
    long need = pos + more;
    if (need > Integer.MAX_VALUE - 16) {
      throw new CodecException("an encoded message would exceed 2 GiB");
    }
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, buf.length * 2L)));
    }
  }

  void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /** An unsigned 32-bit varint (lengths, counts). */
  void writeVarint(int v) {
    ensure(5);
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void writeInt(int v) {
    ensure(4);
    INT.set(buf, pos, v);
    pos += 4;
  }

  void writeLong(long v) {
    ensure(8);
    LONG.set(buf, pos, v);
    pos += 8;
  }

  void writeFloat(float v) {
    writeInt(Float.floatToRawIntBits(v));
  }

  void writeDouble(double v) {
    writeLong(Double.doubleToRawLongBits(v));
  }

  void writeString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  void writeBytes(byte[] b) {
    writeVarint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  void writeFloats(float[] a) {
    writeVarint(a.length);
    ensure(4L * a.length);
    MemorySegment.copy(a, 0, MemorySegment.ofArray(buf), FLOAT_LE, pos, a.length);
    pos += 4 * a.length;
  }

  void writeInts(int[] a) {
    writeVarint(a.length);
    ensure(4L * a.length);
    MemorySegment.copy(a, 0, MemorySegment.ofArray(buf), INT_LE, pos, a.length);
    pos += 4 * a.length;
  }

  void writeLongs(long[] a) {
    writeVarint(a.length);
    ensure(8L * a.length);
    MemorySegment.copy(a, 0, MemorySegment.ofArray(buf), LONG_LE, pos, a.length);
    pos += 8 * a.length;
  }

  void writeDoubles(double[] a) {
    writeVarint(a.length);
    ensure(8L * a.length);
    MemorySegment.copy(a, 0, MemorySegment.ofArray(buf), DOUBLE_LE, pos, a.length);
    pos += 8 * a.length;
  }

  int size() {
    return pos;
  }

  byte[] toByteArray() {
    return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
  }
}
