package dev.cohort.grpc;

import java.lang.invoke.MethodHandle;

/** A record's components in declaration order, rebuilt through its canonical constructor. */
final class RecordCodec implements ValueCodec {
  private final Class<?> type;
  private final String[] names;
  private final MethodHandle[] accessors;
  private final ValueCodec[] codecs;
  private final MethodHandle constructor;

  RecordCodec(Class<?> type, String[] names, MethodHandle[] accessors, ValueCodec[] codecs, MethodHandle constructor) {
    this.type = type;
    this.names = names;
    this.accessors = accessors;
    this.codecs = codecs;
    this.constructor = constructor;
  }

  Class<?> type() {
    return type;
  }

  @Override
  public void write(WireWriter w, Object value, String where) {
    for (int i = 0; i < codecs.length; i++) {
      Object component;
      try {
        component = accessors[i].invoke(value);
      } catch (Throwable t) {
        throw new CodecException("cannot read " + names[i] + " for encoding: " + t, t);
      }
      codecs[i].write(w, component, names[i]);
    }
  }

  @Override
  public Object read(WireReader r, String where) {
    Object[] args = new Object[codecs.length];
    for (int i = 0; i < codecs.length; i++) {
      args[i] = codecs[i].read(r, names[i]);
    }
    try {
      return constructor.invokeWithArguments(args);
    } catch (CodecException e) {
      throw e;
    } catch (Throwable t) {
      throw new CodecException("invalid " + type.getSimpleName() + " at " + where + ": its constructor refused the decoded "
          + "values (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")", t);
    }
  }
}
