package dev.cohort.grpc;

import dev.cohort.core.message.Header;
import dev.cohort.core.message.Message;
import dev.cohort.core.transport.ClientFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replies that arrived before their turn in request order. They are kept in memory up to a byte
 * allowance and written to a temporary file beyond it, so delivering a round's replies in request
 * order (for results identical to the simulation's) costs O(allowance + one reply) memory instead
 * of O(clients x model). The file is unlinked as soon as it is opened (deleted when closed where
 * the system cannot), so nothing is left behind even if the process dies. Not thread-safe: used by the
 * exchange's collecting thread only.
 */
final class HeldReplies implements AutoCloseable {
  private record Spilled(Header header, long offset, int length, long bytes) {}

  private final PayloadCodec codec;
  private final long allowance;
  private final Path dir;
  private final Map<Integer, Exchange.Done> inMemory = new HashMap<>();
  private final Map<Integer, Spilled> onDisk = new HashMap<>();
  private long heldBytes;
  private FileChannel file;
  private long end;
  private int spilledCount;

  /**
   * @param allowance reply bytes kept in memory before further replies go to disk
   * @param dir where the temporary file is created (null for the system's temporary directory)
   */
  HeldReplies(PayloadCodec codec, long allowance, Path dir) {
    this.codec = codec;
    this.allowance = allowance;
    this.dir = dir;
  }

  /** Holds {@code d} until {@link #take} asks for its index. */
  void put(Exchange.Done d) {
    if (d.reply() == null || heldBytes + d.bytes() <= allowance) {
      inMemory.put(d.index(), d);
      heldBytes += d.bytes();
      return;
    }
    byte[] bytes = codec.encodePayload(d.reply().payload());
    try {
      FileChannel f = file();
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      long at = end;
      while (buf.hasRemaining()) {
        at += f.write(buf, at);
      }
      onDisk.put(d.index(), new Spilled(d.reply().header(), end, bytes.length, d.bytes()));
      end = at;
      spilledCount++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hold an early reply on disk in " + where(), e);
    }
  }

  /** Whether the reply or failure for request {@code index} is held. */
  boolean contains(int index) {
    return inMemory.containsKey(index) || onDisk.containsKey(index);
  }

  /** Removes and returns what is held for {@code index}, reading it back from disk if it was spilled; null if none. */
  Exchange.Done take(int index) {
    Exchange.Done d = inMemory.remove(index);
    if (d != null) {
      heldBytes -= d.bytes();
      return d;
    }
    Spilled s = onDisk.remove(index);
    if (s == null) {
      return null;
    }
    Header head = s.header();
    try {
      ByteBuffer buf = ByteBuffer.allocate(s.length());
      long at = s.offset();
      while (buf.hasRemaining()) {
        int n = file.read(buf, at);
        if (n < 0) {
          throw new IOException("the file ended early");
        }
        at += n;
      }
      return new Exchange.Done(index, new Message(head, codec.decodePayload(buf.array())), null, null,
          s.bytes());
    } catch (IOException | CodecException e) {
      return new Exchange.Done(index, null, new ClientFailure(head.client(), ClientFailure.Kind.REJECTED,
          "its reply, held on disk until its turn, could not be read back: " + e.getMessage()), null, 0);
    }
  }

  /** Every index still held. */
  List<Integer> indices() {
    List<Integer> all = new ArrayList<>(inMemory.keySet());
    all.addAll(onDisk.keySet());
    return all;
  }

  /** Reply bytes held in memory now. */
  long heldBytes() {
    return heldBytes;
  }

  /** How many replies went to disk so far. */
  int spilled() {
    return spilledCount;
  }

  private FileChannel file() throws IOException {
    if (file == null) {
      Path p = dir == null ? Files.createTempFile("cohort-held-replies", ".bin")
          : Files.createTempFile(dir, "cohort-held-replies", ".bin");
      file = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
          StandardOpenOption.DELETE_ON_CLOSE);
    }
    return file;
  }

  private String where() {
    return dir == null ? System.getProperty("java.io.tmpdir") : dir.toString();
  }

  /** Drops everything held and deletes the file. */
  @Override
  public void close() {
    inMemory.values().forEach(Exchange.Done::released);
    inMemory.clear();
    onDisk.clear();
    heldBytes = 0;
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // the file is deleted on close; nothing else to do
      }
      file = null;
    }
  }
}
