package dev.cohort.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.cohort.grpc.proto.Chunk;
import dev.cohort.grpc.proto.Start;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an encoded message into a {@link Start} frame (header and payload size) and {@link
 * Chunk}s of at most {@code chunkBytes}, and reassembles them on the other side, enforcing a
 * maximum payload size before any byte of an oversized payload is buffered.
 */
final class Chunking {
  /** The default chunk size: 1 MiB. */
  static final int DEFAULT_CHUNK_BYTES = 1 << 20;
  /** The largest payload a Java array can hold. */
  static final long ABSOLUTE_MAX_PAYLOAD = Integer.MAX_VALUE - 16;

  private Chunking() {}

  /** The start frame and the chunks of a payload; chunk data share {@code payload}, never copy it. */
  static Start start(byte[] header, int payloadSize) {
    return Start.newBuilder().setHeader(ByteString.copyFrom(header)).setPayloadSize(payloadSize).build();
  }

  static List<Chunk> chunks(ByteString payload, int chunkBytes) {
    List<Chunk> out = new ArrayList<>(payload.size() / chunkBytes + 1);
    for (int off = 0; off < payload.size(); off += chunkBytes) {
      out.add(Chunk.newBuilder().setData(payload.substring(off, Math.min(payload.size(), off + chunkBytes))).build());
    }
    return out;
  }

  static ByteString wrap(byte[] payload) {
    return UnsafeByteOperations.unsafeWrap(payload);
  }

  /** The protocol was broken: frames out of order or sizes that lie. The stream must close. */
  static final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
      super(message);
    }
  }

  /** What feeding a frame to an {@link Assembler} produced. */
  sealed interface Result permits Incomplete, Complete, Oversized {}

  /** More chunks are needed. */
  record Incomplete() implements Result {}

  /** A whole message. */
  record Complete(byte[] header, byte[] payload) implements Result {}

  /** A message whose payload exceeds the limit; its chunks will be discarded as they come. */
  record Oversized(byte[] header, long payloadSize, long limit) implements Result {}

  private static final Incomplete INCOMPLETE = new Incomplete();

  /** Reassembles one stream's messages, one at a time. Not thread-safe. */
  static final class Assembler {
    private final long maxPayload;
    private byte[] header;
    private byte[] payload;
    private int filled;
    private long skipping;

    Assembler(long maxPayload) {
      this.maxPayload = Math.min(maxPayload, ABSOLUTE_MAX_PAYLOAD);
    }

    Result start(Start s) throws ProtocolException {
      if (header != null || skipping > 0) {
        throw new ProtocolException("a message started before the previous one was complete");
      }
      long size = s.getPayloadSize();
      byte[] h = s.getHeader().toByteArray();
      if (size > maxPayload || size < 0) {
        skipping = size;
        return new Oversized(h, size, maxPayload);
      }
      if (size == 0) {
        return new Complete(h, new byte[0]);
      }
      header = h;
      payload = new byte[(int) size];
      filled = 0;
      return INCOMPLETE;
    }

    Result chunk(Chunk c) throws ProtocolException {
      ByteString data = c.getData();
      if (skipping > 0) {
        if (data.size() > skipping) {
          throw new ProtocolException("chunks carry more bytes than their message declared");
        }
        skipping -= data.size();
        return INCOMPLETE;
      }
      if (header == null) {
        throw new ProtocolException("a chunk arrived outside any message");
      }
      if (data.size() > payload.length - filled) {
        throw new ProtocolException("chunks carry more than the " + payload.length + " bytes their message declared");
      }
      data.copyTo(payload, filled);
      filled += data.size();
      if (filled < payload.length) {
        return INCOMPLETE;
      }
      Complete done = new Complete(header, payload);
      header = null;
      payload = null;
      return done;
    }
  }
}
