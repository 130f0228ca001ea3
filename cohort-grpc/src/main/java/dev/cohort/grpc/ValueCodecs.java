package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigKey;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link ValueCodec} for a static type from a record component's generic type. Every
 * class a codec ever instantiates comes from the static types (or the registries of {@link
 * PayloadCodec}), never from the bytes.
 */
final class ValueCodecs {
  static final String SUPPORTED = "boolean, int, long, float, double (and their boxes), String, byte[], int[], long[], "
      + "float[], double[], enums, ClientId, ConfigRecord, MetricRecord, ParameterSet, records and sealed interfaces "
      + "of records of these, List<supported>, Map<String|Integer|Long|ClientId, supported>";

  private ValueCodecs() {}

  /** A codec for {@code type}; throws {@link IllegalArgumentException} naming {@code where} if unsupported. */
  static ValueCodec forType(Type type, String where, ConfigTypes configTypes, Set<Class<?>> visiting) {
    if (type instanceof Class<?> c) {
      ValueCodec primitive = primitive(c);
      if (primitive != null) {
        return primitive;
      }
      return nullable(reference(c, where, configTypes, visiting));
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return nullable(new ListCodec(forType(args[0], where + "[]", configTypes, visiting)));
      }
      if (raw == Map.class) {
        ValueCodec key = mapKey(args[0], where);
        return nullable(new MapCodec(key, forType(args[1], where + "{}", configTypes, visiting)));
      }
    }
    throw new IllegalArgumentException(where + " has type " + type.getTypeName() + ", which the codec does not support; "
        + "supported: " + SUPPORTED);
  }

  private static ValueCodec primitive(Class<?> c) {
    if (c == boolean.class) {
      return BOOLEAN;
    } else if (c == int.class) {
      return INT;
    } else if (c == long.class) {
      return LONG;
    } else if (c == float.class) {
      return FLOAT;
    } else if (c == double.class) {
      return DOUBLE;
    }
    return null;
  }

  private static ValueCodec mapKey(Type t, String where) {
    if (t == String.class) {
      return STRING;
    } else if (t == Integer.class) {
      return INT;
    } else if (t == Long.class) {
      return LONG;
    } else if (t == ClientId.class) {
      return CLIENT_ID;
    }
    throw new IllegalArgumentException(where + " is a map keyed by " + t.getTypeName()
        + "; map keys must be String, Integer, Long or ClientId");
  }

  static ValueCodec reference(Class<?> c, String where, ConfigTypes configTypes, Set<Class<?>> visiting) {
    if (c == Boolean.class) {
      return BOOLEAN;
    } else if (c == Integer.class) {
      return INT;
    } else if (c == Long.class) {
      return LONG;
    } else if (c == Float.class) {
      return FLOAT;
    } else if (c == Double.class) {
      return DOUBLE;
    } else if (c == String.class) {
      return STRING;
    } else if (c == byte[].class) {
      return BYTES;
    } else if (c == int[].class) {
      return INTS;
    } else if (c == long[].class) {
      return LONGS;
    } else if (c == float[].class) {
      return FLOATS;
    } else if (c == double[].class) {
      return DOUBLES;
    } else if (c == ClientId.class) {
      return CLIENT_ID;
    } else if (c == MetricRecord.class) {
      return METRICS;
    } else if (c == ParameterSet.class) {
      return PARAMETERS;
    } else if (c == ConfigRecord.class) {
      return new ConfigCodec(configTypes);
    } else if (c.isEnum()) {
      return new EnumCodec(c);
    } else if (c.isRecord()) {
      return record(c, where, configTypes, visiting);
    } else if (c.isSealed() && c.isInterface()) {
      return new SealedCodec(c, where, configTypes, visiting);
    }
    throw new IllegalArgumentException(where + " has type " + c.getName() + ", which the codec does not support; "
        + "supported: " + SUPPORTED);
  }

  static RecordCodec record(Class<?> c, String where, ConfigTypes configTypes, Set<Class<?>> visiting) {
    if (!visiting.add(c)) {
      throw new IllegalArgumentException(where + " refers back to " + c.getSimpleName()
          + ": recursive record types are not supported");
    }
    try {
      RecordComponent[] rc = c.getRecordComponents();
      MethodHandle[] accessors = new MethodHandle[rc.length];
      ValueCodec[] codecs = new ValueCodec[rc.length];
      String[] names = new String[rc.length];
      Class<?>[] types = new Class<?>[rc.length];
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      for (int i = 0; i < rc.length; i++) {
        names[i] = c.getSimpleName() + "." + rc[i].getName();
        types[i] = rc[i].getType();
        codecs[i] = forType(rc[i].getGenericType(), names[i], configTypes, visiting);
        var accessor = rc[i].getAccessor();
        accessor.setAccessible(true);
        accessors[i] = lookup.unreflect(accessor);
      }
      Constructor<?> ctor = c.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return new RecordCodec(c, names, accessors, codecs, lookup.unreflectConstructor(ctor));
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("cannot access record " + c.getName() + " for encoding: " + e, e);
    } finally {
      visiting.remove(c);
    }
  }

  /* --- codecs --- */

  private static ValueCodec nullable(ValueCodec inner) {
    return new ValueCodec() {
      @Override
      public void write(WireWriter w, Object value, String where) {
        if (value == null) {
          w.writeByte(0);
        } else {
          w.writeByte(1);
          inner.write(w, value, where);
        }
      }

      @Override
      public Object read(WireReader r, String where) {
        int tag = r.readByte(where);
        return switch (tag) {
          case 0 -> null;
          case 1 -> inner.read(r, where);
          default -> throw new CodecException("corrupt input: " + where + " has presence byte " + tag + " (0 or 1 expected)");
        };
      }
    };
  }

  private record Simple(Writer writer, Reader reader) implements ValueCodec {
    @Override
    public void write(WireWriter w, Object value, String where) {
      writer.write(w, value);
    }

    @Override
    public Object read(WireReader r, String where) {
      return reader.read(r, where);
    }
  }

  @FunctionalInterface
  private interface Writer {
    void write(WireWriter w, Object value);
  }

  @FunctionalInterface
  private interface Reader {
    Object read(WireReader r, String where);
  }

  static final ValueCodec BOOLEAN = new Simple((w, v) -> w.writeBoolean((Boolean) v), WireReader::readBoolean);
  static final ValueCodec INT = new Simple((w, v) -> w.writeInt((Integer) v), WireReader::readInt);
  static final ValueCodec LONG = new Simple((w, v) -> w.writeLong((Long) v), WireReader::readLong);
  static final ValueCodec FLOAT = new Simple((w, v) -> w.writeFloat((Float) v), WireReader::readFloat);
  static final ValueCodec DOUBLE = new Simple((w, v) -> w.writeDouble((Double) v), WireReader::readDouble);
  static final ValueCodec STRING = new Simple((w, v) -> w.writeString((String) v), WireReader::readString);
  static final ValueCodec BYTES = new Simple((w, v) -> w.writeBytes((byte[]) v), WireReader::readBytes);
  static final ValueCodec INTS = new Simple((w, v) -> w.writeInts((int[]) v), WireReader::readInts);
  static final ValueCodec LONGS = new Simple((w, v) -> w.writeLongs((long[]) v), WireReader::readLongs);
  static final ValueCodec FLOATS = new Simple((w, v) -> w.writeFloats((float[]) v), WireReader::readFloats);
  static final ValueCodec DOUBLES = new Simple((w, v) -> w.writeDoubles((double[]) v), WireReader::readDoubles);
  static final ValueCodec CLIENT_ID = new Simple((w, v) -> w.writeString(((ClientId) v).value()), (r, where) -> {
    String s = r.readString(where);
    try {
      return ClientId.of(s);
    } catch (IllegalArgumentException e) {
      throw new CodecException("corrupt input: " + where + " is not a valid client id: " + e.getMessage());
    }
  });

  static final ValueCodec METRICS = new Simple((w, v) -> {
    Map<String, Double> m = ((MetricRecord) v).values();
    w.writeVarint(m.size());
    for (var e : m.entrySet()) {
      w.writeString(e.getKey());
      w.writeDouble(e.getValue());
    }
  }, (r, where) -> {
    int n = r.readLength(where, 9);
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String k = r.readString(where + " name");
      m.put(k, r.readDouble(where + "." + k));
    }
    return new MetricRecord(m);
  });

  /** Layout (names and shapes; offsets are consecutive), then the floats in one bulk copy. */
  static final ValueCodec PARAMETERS = new Simple((w, v) -> {
    ParameterSet p = (ParameterSet) v;
    List<ParameterLayout.Entry> entries = p.layout().entries();
    w.writeVarint(entries.size());
    int offset = 0;
    for (ParameterLayout.Entry e : entries) {
      if (e.offset() != offset) {
        throw new CodecException("parameter " + e.name() + " starts at " + e.offset() + ", not right after the one before ("
            + offset + "); only consecutive layouts are encoded");
      }
      offset += e.size();
      w.writeString(e.name());
      w.writeInts(e.shape().dims());
    }
    w.writeFloats(p.data());
  }, (r, where) -> {
    int n = r.readLength(where + " layout", 2);
    ParameterLayout.Builder b = ParameterLayout.builder();
    for (int i = 0; i < n; i++) {
      String name = r.readString(where + " parameter " + i + " name");
      int[] dims = r.readInts(where + " parameter " + name + " shape");
      try {
        b.add(name, Shape.of(dims));
      } catch (IllegalArgumentException e) {
        throw new CodecException("corrupt input: " + where + " parameter " + name + ": " + e.getMessage());
      }
    }
    ParameterLayout layout = b.build();
    float[] data = r.readFloats(where + " data");
    if (data.length != layout.totalSize()) {
      throw new CodecException("layout mismatch: " + where + " has " + data.length + " floats but its layout needs "
          + layout.totalSize());
    }
    return ParameterSet.wrap(layout, data);
  });

  private record EnumCodec(Class<?> type) implements ValueCodec {
    @Override
    public void write(WireWriter w, Object value, String where) {
      w.writeString(((Enum<?>) value).name());
    }

    @Override
    public Object read(WireReader r, String where) {
      String name = r.readString(where);
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals(name)) {
          return constant;
        }
      }
      throw new CodecException("corrupt input: " + where + " is '" + name + "', not a constant of " + type.getSimpleName());
    }
  }

  private record ListCodec(ValueCodec element) implements ValueCodec {
    @Override
    public void write(WireWriter w, Object value, String where) {
      List<?> list = (List<?>) value;
      w.writeVarint(list.size());
      for (Object o : list) {
        element.write(w, o, where);
      }
    }

    @Override
    public Object read(WireReader r, String where) {
      int n = r.readLength(where, 1);
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(element.read(r, where));
      }
      return Collections.unmodifiableList(out);
    }
  }

  private record MapCodec(ValueCodec key, ValueCodec value) implements ValueCodec {
    @Override
    public void write(WireWriter w, Object v, String where) {
      Map<?, ?> map = (Map<?, ?>) v;
      w.writeVarint(map.size());
      for (var e : map.entrySet()) {
        if (e.getKey() == null) {
          throw new CodecException(where + " has a null key, which cannot be encoded");
        }
        key.write(w, e.getKey(), where);
        value.write(w, e.getValue(), where);
      }
    }

    @Override
    public Object read(WireReader r, String where) {
      int n = r.readLength(where, 2);
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        Object k = key.read(r, where + " key");
        if (out.put(k, value.read(r, where + "{" + k + "}")) != null) {
          throw new CodecException("corrupt input: " + where + " repeats key " + k);
        }
      }
      return Collections.unmodifiableMap(out);
    }
  }

  /** A sealed interface: the permitted subtype's simple name, then its fields. */
  private static final class SealedCodec implements ValueCodec {
    private final Class<?> type;
    private final Map<String, ValueCodec> byName = new TreeMap<>();
    private final Map<Class<?>, String> names = new LinkedHashMap<>();

    SealedCodec(Class<?> type, String where, ConfigTypes configTypes, Set<Class<?>> visiting) {
      this.type = type;
      for (Class<?> sub : type.getPermittedSubclasses()) {
        if (!sub.isRecord() && !sub.isEnum()) {
          throw new IllegalArgumentException(where + " is the sealed " + type.getSimpleName() + " whose subtype "
              + sub.getSimpleName() + " is neither a record nor an enum");
        }
        ValueCodec codec = sub.isRecord() ? record(sub, where + "<" + sub.getSimpleName() + ">", configTypes, visiting) : new EnumCodec(sub);
        if (byName.put(sub.getSimpleName(), codec) != null) {
          throw new IllegalArgumentException(where + ": two subtypes of " + type.getSimpleName() + " are called "
              + sub.getSimpleName());
        }
        names.put(sub, sub.getSimpleName());
      }
    }

    @Override
    public void write(WireWriter w, Object value, String where) {
      String name = names.get(value.getClass());
      if (name == null) {
        throw new CodecException(where + " holds a " + value.getClass().getName() + ", not a permitted subtype of "
            + type.getSimpleName());
      }
      w.writeString(name);
      byName.get(name).write(w, value, where);
    }

    @Override
    public Object read(WireReader r, String where) {
      String name = r.readString(where + " subtype");
      ValueCodec codec = byName.get(name);
      if (codec == null) {
        throw new CodecException("corrupt input: " + where + " names subtype '" + name + "' but " + type.getSimpleName()
            + " permits " + byName.keySet());
      }
      return codec.read(r, where);
    }
  }

  /** The config value types a codec knows, by wire name and by class. */
  interface ConfigTypes {
    ConfigValueType byName(String name);

    ConfigValueType byClass(Class<?> type);
  }

  /** A type allowed as a config value: its wire name, the class its keys declare, and its codec. */
  record ConfigValueType(String name, Class<?> type, ValueCodec codec) {}

  /** A config record: key name, value type name (from the registry), value. */
  private record ConfigCodec(ConfigTypes types) implements ValueCodec {
    @Override
    public void write(WireWriter w, Object value, String where) {
      Map<ConfigKey<?>, Object> map = ((ConfigRecord) value).asMap();
      w.writeVarint(map.size());
      for (var e : map.entrySet()) {
        ConfigValueType t = types.byClass(e.getKey().type());
        if (t == null) {
          throw new CodecException(where + " key '" + e.getKey().name() + "' has values of type "
              + e.getKey().type().getName() + ", which is not registered; call PayloadCodec.registerConfigValue("
              + e.getKey().type().getSimpleName() + ".class) on both sides");
        }
        w.writeString(e.getKey().name());
        w.writeString(t.name());
        t.codec().write(w, e.getValue(), where + "." + e.getKey().name());
      }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object read(WireReader r, String where) {
      int n = r.readLength(where, 3);
      ConfigRecord.Builder b = ConfigRecord.builder();
      for (int i = 0; i < n; i++) {
        String key = r.readString(where + " key");
        String typeName = r.readString(where + "." + key + " type");
        ConfigValueType t = types.byName(typeName);
        if (t == null) {
          throw new CodecException("unknown config value type '" + typeName + "' for " + where + "." + key
              + "; register it with PayloadCodec.registerConfigValue");
        }
        Object v = t.codec().read(r, where + "." + key);
        try {
          b.put(new ConfigKey(key, t.type()), v);
        } catch (RuntimeException e) {
          throw new CodecException("corrupt input: " + where + "." + key + ": " + e.getMessage());
        }
      }
      return b.build();
    }
  }
}
