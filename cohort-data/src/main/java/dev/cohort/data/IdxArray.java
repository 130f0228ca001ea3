package dev.cohort.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The contents of one IDX file: an element type, dimensions (outermost first) and the elements in
 * row-major order, kept as the file's big-endian bytes so that a 47 MB image file stays 47 MB.
 *
 * <p>Immutable and thread-safe as long as the payload given to {@link #of} is not changed later.
 */
public final class IdxArray {
  private final IdxType type;
  private final int[] dims;
  private final byte[] payload;
  private final int size;

  private IdxArray(IdxType type, int[] dims, byte[] payload) {
    this.type = Objects.requireNonNull(type, "type");
    this.dims = dims;
    this.payload = Objects.requireNonNull(payload, "payload");
    if (dims.length == 0 || dims.length > 255) {
      throw new IllegalArgumentException("an IDX array needs 1 to 255 dimensions but got " + dims.length);
    }
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(
            "dimension " + i + " must be >= 0 but was " + dims[i] + " in " + Arrays.toString(dims));
      }
      n *= dims[i];
      if (n * type.bytesPerElement() > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " of " + type.description()
            + " exceed 2^31 bytes");
      }
    }
    if (payload.length != n * type.bytesPerElement()) {
      throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " of " + type.description()
          + " need " + n * type.bytesPerElement() + " bytes but the payload has " + payload.length);
    }
    this.size = (int) n;
  }

  /**
   * An array over {@code bigEndianPayload} (taken, not copied), which must hold exactly the
   * product of {@code dims} elements of {@code type}.
   */
  public static IdxArray of(IdxType type, int[] dims, byte[] bigEndianPayload) {
    return new IdxArray(type, dims.clone(), bigEndianPayload);
  }

  /** An unsigned-byte array (the MNIST image and label type); {@code values} is taken. */
  public static IdxArray unsignedBytes(int[] dims, byte[] values) {
    return of(IdxType.UNSIGNED_BYTE, dims, values);
  }

  public IdxType type() {
    return type;
  }

  /** A copy of the dimensions, outermost first. */
  public int[] dims() {
    return dims.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}. */
  public int dim(int i) {
    return dims[i];
  }

  /** The number of elements. */
  public int size() {
    return size;
  }

  /**
   * Element {@code i} (row-major) as an int: 0..255 for unsigned bytes. Only for integer types.
   */
  public int getInt(int i) {
    Objects.checkIndex(i, size);
    return switch (type) {
      case UNSIGNED_BYTE -> payload[i] & 0xFF;
      case SIGNED_BYTE -> payload[i];
      case SHORT -> ByteBuffer.wrap(payload).getShort(i * 2);
      case INT -> ByteBuffer.wrap(payload).getInt(i * 4);
      case FLOAT, DOUBLE -> throw new IllegalStateException(
          "getInt needs an integer IDX type but this array holds " + type.description() + "s");
    };
  }

  /** Element {@code i} (row-major) as a double, for every type. */
  public double getDouble(int i) {
    Objects.checkIndex(i, size);
    return switch (type) {
      case FLOAT -> ByteBuffer.wrap(payload).getFloat(i * 4);
      case DOUBLE -> ByteBuffer.wrap(payload).getDouble(i * 8);
      default -> getInt(i);
    };
  }

  /** All elements converted to float, in a new array. */
  public float[] toFloatArray() {
    float[] out = new float[size];
    ByteBuffer b = ByteBuffer.wrap(payload);
    switch (type) {
      case UNSIGNED_BYTE -> {
        for (int i = 0; i < size; i++) {
          out[i] = payload[i] & 0xFF;
        }
      }
      case SIGNED_BYTE -> {
        for (int i = 0; i < size; i++) {
          out[i] = payload[i];
        }
      }
      case SHORT -> {
        for (int i = 0; i < size; i++) {
          out[i] = b.getShort(i * 2);
        }
      }
      case INT -> {
        for (int i = 0; i < size; i++) {
          out[i] = b.getInt(i * 4);
        }
      }
      case FLOAT -> b.asFloatBuffer().get(out);
      case DOUBLE -> {
        for (int i = 0; i < size; i++) {
          out[i] = (float) b.getDouble(i * 8);
        }
      }
    }
    return out;
  }

  /** All elements as ints, in a new array. Only for integer types. */
  public int[] toIntArray() {
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = getInt(i);
    }
    return out;
  }

  /** The raw big-endian bytes (shared, not copied). */
  byte[] payload() {
    return payload;
  }

  /** The dimensions joined as "60000 x 28 x 28". */
  String dimsText() {
    return dimsText(dims);
  }

  static String dimsText(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int d : dims) {
      if (!sb.isEmpty()) {
        sb.append(" x ");
      }
      sb.append(Integer.toUnsignedString(d));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "IdxArray[" + type.description() + ", " + dimsText() + "]";
  }
}
