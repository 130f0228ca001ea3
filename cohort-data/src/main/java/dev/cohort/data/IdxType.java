package dev.cohort.data;

/**
 * The element types of the IDX format (the third byte of an IDX file's magic number), as used by
 * MNIST and Fashion-MNIST. Values are stored big-endian.
 */
public enum IdxType {
  /** 0x08: unsigned byte, 0..255. */
  UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
  /** 0x09: signed byte, -128..127. */
  SIGNED_BYTE(0x09, 1, "signed byte"),
  /** 0x0B: 16-bit signed integer. */
  SHORT(0x0B, 2, "short"),
  /** 0x0C: 32-bit signed integer. */
  INT(0x0C, 4, "int"),
  /** 0x0D: 32-bit IEEE float. */
  FLOAT(0x0D, 4, "float"),
  /** 0x0E: 64-bit IEEE double. */
  DOUBLE(0x0E, 8, "double");

  private final int code;
  private final int bytesPerElement;
  private final String description;

  IdxType(int code, int bytesPerElement, String description) {
    this.code = code;
    this.bytesPerElement = bytesPerElement;
    this.description = description;
  }

  /** The type byte of the magic number, e.g. 0x08. */
  public int code() {
    return code;
  }

  /** The size of one element in bytes. */
  public int bytesPerElement() {
    return bytesPerElement;
  }

  /** Whether elements are integers (so {@link IdxArray#getInt(int)} is exact). */
  public boolean isInteger() {
    return this != FLOAT && this != DOUBLE;
  }

  /** A readable name such as "unsigned byte". */
  public String description() {
    return description;
  }

  /** The type with the given type byte, or null if the byte names no IDX type. */
  static IdxType fromCode(int code) {
    for (IdxType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** The list of valid codes, for error messages. */
  static String validCodes() {
    StringBuilder sb = new StringBuilder();
    for (IdxType t : values()) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(String.format("0x%02X (%s)", t.code, t.description));
    }
    return sb.toString();
  }
}
