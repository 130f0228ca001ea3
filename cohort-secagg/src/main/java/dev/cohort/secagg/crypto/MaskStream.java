package dev.cohort.secagg.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Expands a 32-byte seed into a pseudo-random mask over the ring Z<sub>2<sup>32</sup></sub> with
 * AES-256 in counter mode (NIST SP 800-38A), and adds or subtracts it in place.
 *
 * <p>SecAgg (Bonawitz et al., CCS 2017; Bell et al., CCS 2020) masks each client's quantised
 * update y with PRG(b) for its self-mask seed b and &plusmn;PRG(s) for every pairwise seed s
 * shared with a neighbour; the pairwise masks cancel in the sum. This class is that PRG: the seed
 * is the AES-256 key, the initial counter block is all zeros (incremented as one 128-bit
 * big-endian integer), and mask word i is keystream bytes 4i..4i+3 read little-endian, as a Java
 * {@code int} (so ring arithmetic is plain {@code int} overflow). AES-CTR is chosen over ChaCha20
 * because the JDK's AES-NI/VAES intrinsic expands about 30 GB/s here against ChaCha20's 4.6 GB/s
 * (BENCHMARKS.md); its drawback, a slow start before the JIT compiles the intrinsic, is paid once
 * per process by a warm-up when this class loads (about 0.1 s). Each seed must mask only one
 * vector (SecAgg derives fresh seeds every round), since the same seed always yields the same mask.
 *
 * <p>{@link #addMask} streams the keystream in {@value #CHUNK_BYTES}-byte chunks into the target,
 * so masking against many neighbours never materialises a mask per neighbour.
 *
 * <p>Thread-safety: the static methods are stateless and safe from any thread (concurrent calls
 * on the same target array must be synchronised by the caller); an {@link Expander} is for one
 * thread.
 */
public final class MaskStream {

  /** Seed length in bytes (the AES-256 key). */
  public static final int SEED_BYTES = 32;
  /** Keystream bytes generated per cipher call. */
  public static final int CHUNK_BYTES = 16 * 1024;
  /** Mask words per AES block: a range of a mask starts at a multiple of this. */
  public static final int BLOCK_WORDS = 4;

  private static final String TRANSFORMATION = "AES/CTR/NoPadding";
  private static final byte[] ZERO_COUNTER = new byte[16];
  private static final byte[] ZEROS = new byte[CHUNK_BYTES];
  /** A mask word in the keystream: four bytes, little-endian, at any offset of the byte buffer. */
  private static final ValueLayout.OfInt KEYSTREAM_WORD =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  static {
    warmUp();
  }

  private MaskStream() {}

  /** The mask of {@code length} words for {@code seed}. */
  public static int[] expand(byte[] seed, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, was " + length);
    }
    int[] mask = new int[length];
    new Expander().apply(mask, seed, ZERO_COUNTER, 0);
    return mask;
  }

  /**
   * Adds ({@code sign} = +1) or subtracts ({@code sign} = -1) the mask of {@code seed} to
   * {@code target} in place, modulo 2<sup>32</sup>; the mask has {@code target.length} words.
   */
  public static void addMask(int[] target, byte[] seed, int sign) {
    new Expander().addMask(target, seed, sign);
  }

  /** The first {@code words} keystream words of AES-256-CTR from {@code initialCounter}, for known-answer tests. */
  static int[] keystreamWords(byte[] key, byte[] initialCounter, int words) {
    int[] out = new int[words];
    new Expander().apply(out, key, initialCounter, 0);
    return out;
  }

  /**
   * Runs the cipher on small inputs until the JIT has compiled the counter-mode intrinsic: without
   * it the first few megabytes of keystream come out 50 to 100 times slower.
   */
  private static void warmUp() {
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[SEED_BYTES], "AES"),
          new IvParameterSpec(ZERO_COUNTER));
      byte[] out = new byte[256];
      for (int i = 0; i < 20_000; i++) {
        cipher.update(ZEROS, 0, out.length, out, 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES-CTR is unavailable", e);
    }
  }

  /**
   * Expands many masks with one reusable cipher and buffer, for loops over many seeds (the server
   * removing thousands of masks). Not thread-safe: one per thread.
   */
  public static final class Expander {
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private final IntBuffer ints = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    private final MemorySegment keystream = MemorySegment.ofArray(buffer);
    private Cipher cipher;

    /** As {@link MaskStream#addMask}, reusing this expander's cipher and buffer. */
    public void addMask(int[] target, byte[] seed, int sign) {
      Objects.requireNonNull(target, "target");
      if (sign != 1 && sign != -1) {
        throw new IllegalArgumentException("sign must be +1 or -1, was " + sign);
      }
      apply(target, seed, ZERO_COUNTER, sign);
    }

    /**
     * Adds or subtracts words {@code [from, to)} of the mask of {@code seed} to the same words of
     * {@code target}, leaving the rest alone: the mask is the one {@link #addMask(int[], byte[], int)}
     * would add to a vector of any length of at least {@code to}, so disjoint ranges can be masked
     * on different threads. {@code from} must be a multiple of {@link #BLOCK_WORDS} (the keystream
     * is then started at AES block {@code from / 4}).
     */
    public void addMask(int[] target, int from, int to, byte[] seed, int sign) {
      Objects.requireNonNull(target, "target");
      if (sign != 1 && sign != -1) {
        throw new IllegalArgumentException("sign must be +1 or -1, was " + sign);
      }
      if (from < 0 || to > target.length || from > to || from % BLOCK_WORDS != 0) {
        throw new IllegalArgumentException("the range [" + from + ", " + to + ") must lie within the "
            + target.length + " words and start at a multiple of " + BLOCK_WORDS);
      }
      byte[] counter = new byte[16];
      ByteBuffer.wrap(counter).putLong(8, from / BLOCK_WORDS);
      apply(target, from, to, seed, counter, sign);
    }

    /** mode 0: overwrite with the mask; +1: add it; -1: subtract it. */
    void apply(int[] target, byte[] seed, byte[] counter, int mode) {
      apply(target, 0, target.length, seed, counter, mode);
    }

    private void apply(int[] target, int from, int to, byte[] seed, byte[] counter, int mode) {
      Objects.requireNonNull(seed, "seed");
      if (seed.length != SEED_BYTES) {
        throw new IllegalArgumentException("seed.length must be " + SEED_BYTES + ", was " + seed.length);
      }
      if (from == to) {
        return;
      }
      init(seed, counter);
      int position = from;
      while (position < to) {
        int words = Math.min(buffer.length / 4, to - position);
        try {
          cipher.update(ZEROS, 0, 4 * words, buffer, 0);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AES-CTR keystream generation failed", e);
        }
        if (mode == 0) {
          ints.get(0, target, position, words);
        } else {
          addWords(target, position, words, mode);
        }
        position += words;
      }
    }

    /**
     * target[position + i] += or -= keystream word i, reading the words straight from the
     * keystream bytes through memory segments: a plain loop that the JIT vectorises, measured
     * about twice as fast as the bulk little-endian copy into an int array and second loop it
     * replaces (which left the add at twice the keystream's cost), and as fast as the Vector API
     * without its slow start (interpreted, each vector operation allocates: the first hundred
     * masks of a process were up to 40 times slower).
     */
    private void addWords(int[] target, int position, int words, int mode) {
      MemorySegment t = MemorySegment.ofArray(target);
      long base = 4L * position;
      if (mode > 0) {
        for (int i = 0; i < words; i++) {
          long at = base + 4L * i;
          t.set(ValueLayout.JAVA_INT, at, t.get(ValueLayout.JAVA_INT, at) + keystream.get(KEYSTREAM_WORD, 4L * i));
        }
      } else {
        for (int i = 0; i < words; i++) {
          long at = base + 4L * i;
          t.set(ValueLayout.JAVA_INT, at, t.get(ValueLayout.JAVA_INT, at) - keystream.get(KEYSTREAM_WORD, 4L * i));
        }
      }
    }

    private void init(byte[] seed, byte[] counter) {
      try {
        if (cipher == null) {
          cipher = Cipher.getInstance(TRANSFORMATION);
        }
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(counter));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK's AES-CTR is unavailable", e);
      }
    }
  }
}
