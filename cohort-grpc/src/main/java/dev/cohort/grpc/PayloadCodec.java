package dev.cohort.grpc;

import dev.cohort.core.ClientId;
import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Header;
import dev.cohort.core.message.Message;
import dev.cohort.core.message.Payload;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compact binary codec of {@link Message}s: a header, then the payload record's registered
 * name and its components in declaration order, little-endian, with float arrays (parameter
 * sets) copied in bulk.
 *
 * <p>Only registered payload records can travel, and every class decoding instantiates comes from
 * a registry or a record's declared component types, never from a name on the wire. The core
 * payloads ({@link FitInstruction}, {@link FitResult}, {@link EvaluateInstruction}, {@link
 * EvaluateResult}, {@link ErrorReply}) and the config value types {@code Integer}, {@code Long},
 * {@code Double}, {@code Float}, {@code Boolean} and {@code String} are registered by {@link
 * #create()}. A module with payloads of its own registers them on both sides:
 *
 * <pre>{@code
 * PayloadCodec.register(MaskedInputStage.class);   // the shared codec transports use by default
 * PayloadCodec.registerConfigValue(TrainConfig.class);
 * }</pre>
 *
 * <p>Component types supported: {@value ValueCodecs#SUPPORTED}. Decoding checks everything and
 * throws {@link CodecException} naming the fault; it throws nothing else. Thread-safe.
 */
public final class PayloadCodec {
  private static final PayloadCodec SHARED = create();

  private final Map<String, RecordCodec> payloadsByName = new ConcurrentHashMap<>();
  private final Map<Class<?>, String> payloadNames = new ConcurrentHashMap<>();
  private final Map<String, ValueCodecs.ConfigValueType> configByName = new ConcurrentHashMap<>();
  private final Map<Class<?>, ValueCodecs.ConfigValueType> configByClass = new ConcurrentHashMap<>();
  private final ValueCodecs.ConfigTypes configTypes = new ValueCodecs.ConfigTypes() {
    @Override
    public ValueCodecs.ConfigValueType byName(String name) {
      return configByName.get(name);
    }

    @Override
    public ValueCodecs.ConfigValueType byClass(Class<?> type) {
      return configByClass.get(type);
    }
  };

  private PayloadCodec() {}

  /** A new codec with the core payloads and the basic config value types registered. */
  public static PayloadCodec create() {
    PayloadCodec c = new PayloadCodec();
    c.configValue("int", Integer.class, ValueCodecs.INT);
    c.configValue("long", Long.class, ValueCodecs.LONG);
    c.configValue("double", Double.class, ValueCodecs.DOUBLE);
    c.configValue("float", Float.class, ValueCodecs.FLOAT);
    c.configValue("boolean", Boolean.class, ValueCodecs.BOOLEAN);
    c.configValue("string", String.class, ValueCodecs.STRING);
    c.configValue("client", ClientId.class, ValueCodecs.CLIENT_ID);
    c.registerPayload(FitInstruction.class);
    c.registerPayload(FitResult.class);
    c.registerPayload(EvaluateInstruction.class);
    c.registerPayload(EvaluateResult.class);
    c.registerPayload(ErrorReply.class);
    return c;
  }

  /** The process-wide codec that transports use unless given another. */
  public static PayloadCodec shared() {
    return SHARED;
  }

  /** Registers a payload record with {@linkplain #shared() the shared codec}. */
  public static <T extends Record & Payload> void register(Class<T> type) {
    SHARED.registerPayload(type);
  }

  /** Registers a config value type with {@linkplain #shared() the shared codec}. */
  public static void registerConfigValue(Class<?> type) {
    SHARED.registerConfig(type);
  }

  /**
   * Lets this codec carry {@code type}, under its class name. Fails at once, naming the
   * component, if a component type is unsupported. Registering twice is harmless.
   */
  public <T extends Record & Payload> PayloadCodec registerPayload(Class<T> type) {
    return registerPayload(type, type.getName());
  }

  /** As {@link #registerPayload(Class)}, under an explicit wire name (for records that may move). */
  public <T extends Record & Payload> PayloadCodec registerPayload(Class<T> type, String wireName) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(wireName, "wireName");
    if (!type.isRecord() || !Payload.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(type.getName() + " must be a record implementing Payload");
    }
    synchronized (this) {
      String existing = payloadNames.get(type);
      if (existing != null) {
        if (!existing.equals(wireName)) {
          throw new IllegalArgumentException(type.getName() + " is already registered as '" + existing + "'");
        }
        return this;
      }
      if (payloadsByName.containsKey(wireName)) {
        throw new IllegalArgumentException("wire name '" + wireName + "' is already taken by "
            + payloadsByName.get(wireName).type().getName());
      }
      RecordCodec codec = ValueCodecs.record(type, type.getSimpleName(), configTypes, new HashSet<>());
      payloadsByName.put(wireName, codec);
      payloadNames.put(type, wireName);
    }
    return this;
  }

  /**
   * Lets config records carried by this codec hold values of {@code type} (a record, enum or
   * sealed interface of records, under its class name); keys declaring that type then decode.
   */
  public PayloadCodec registerConfig(Class<?> type) {
    Objects.requireNonNull(type, "type");
    synchronized (this) {
      if (configByClass.containsKey(type)) {
        return this;
      }
      ValueCodec codec;
      if (type.isRecord()) {
        codec = ValueCodecs.record(type, type.getSimpleName(), configTypes, new HashSet<>());
      } else if (type.isEnum() || (type.isSealed() && type.isInterface())) {
        codec = ValueCodecs.reference(type, type.getSimpleName(), configTypes, new HashSet<>());
      } else {
        throw new IllegalArgumentException("config value type " + type.getName()
            + " must be a record, an enum or a sealed interface of records; the basic types are registered already");
      }
      configValue(type.getName(), type, codec);
    }
    return this;
  }

  private void configValue(String name, Class<?> type, ValueCodec codec) {
    ValueCodecs.ConfigValueType t = new ValueCodecs.ConfigValueType(name, type, codec);
    configByName.put(name, t);
    configByClass.put(type, t);
  }

  /** Whether {@code type} can travel. */
  public boolean isRegistered(Class<? extends Payload> type) {
    return payloadNames.containsKey(type);
  }

  /* --- messages --- */

  /** The header's bytes. */
  public byte[] encodeHeader(Header h) {
    WireWriter w = new WireWriter(64 + h.runId().length() + h.client().value().length());
    w.writeString(h.runId());
    w.writeLong(h.messageId());
    w.writeVarint(h.round());
    w.writeString(h.client().value());
    w.writeLong(h.replyTo());
    return w.toByteArray();
  }

  /** Decodes {@link #encodeHeader} output. */
  public Header decodeHeader(byte[] bytes) {
    try {
      WireReader r = new WireReader(bytes);
      String runId = r.readString("header.runId");
      long id = r.readLong("header.messageId");
      int round = r.readVarint("header.round");
      ClientId client = (ClientId) ValueCodecs.CLIENT_ID.read(r, "header.client");
      long replyTo = r.readLong("header.replyTo");
      r.expectEnd("the header");
      return new Header(runId, id, round, client, replyTo);
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException("corrupt header: " + e, e);
    }
  }

  /** The payload's registered name and components. */
  public byte[] encodePayload(Payload payload) {
    Objects.requireNonNull(payload, "payload");
    String name = payloadNames.get(payload.getClass());
    if (name == null) {
      throw new CodecException(payload.getClass().getName() + " is not a registered payload; call "
          + "PayloadCodec.register(" + payload.getClass().getSimpleName() + ".class) on both sides");
    }
    WireWriter w = new WireWriter(256);
    w.writeString(name);
    payloadsByName.get(name).write(w, payload, payload.getClass().getSimpleName());
    return w.toByteArray();
  }

  /** Decodes {@link #encodePayload} output. */
  public Payload decodePayload(byte[] bytes) {
    try {
      WireReader r = new WireReader(bytes);
      String name = r.readString("payload type");
      RecordCodec codec = payloadsByName.get(name);
      if (codec == null) {
        throw new CodecException("unknown payload type '" + (name.length() > 200 ? name.substring(0, 200) + "..." : name)
            + "'; registered: " + new java.util.TreeSet<>(payloadsByName.keySet()));
      }
      Payload p = (Payload) codec.read(r, codec.type().getSimpleName());
      r.expectEnd(codec.type().getSimpleName());
      return p;
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException("corrupt payload: " + e, e);
    }
  }

  /** A whole message: header length, header, payload. */
  public byte[] encode(Message m) {
    byte[] h = encodeHeader(m.header());
    byte[] p = encodePayload(m.payload());
    WireWriter w = new WireWriter(h.length + p.length + 10);
    w.writeBytes(h);
    w.writeBytes(p);
    return w.toByteArray();
  }

  /** Decodes {@link #encode} output. */
  public Message decode(byte[] bytes) {
    WireReader r = new WireReader(bytes);
    Header h = decodeHeader(r.readBytes("header"));
    Payload p = decodePayload(r.readBytes("payload"));
    r.expectEnd("the message");
    return new Message(h, p);
  }
}
