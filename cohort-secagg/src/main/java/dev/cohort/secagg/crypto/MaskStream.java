package dev.cohort.secagg.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Expands a 32-byte seed into a pseudo-random mask over the ring Z<sub>2<sup>32</sup></sub> with
 * the JDK's ChaCha20 stream cipher (RFC 8439), and adds or subtracts it in place.
 *
 * <p>SecAgg (Bonawitz et al., CCS 2017; Bell et al., CCS 2020) masks each client's quantised
 * update y with PRG(b) for its self-mask seed b and &plusmn;PRG(s) for every pairwise seed s
 * shared with a neighbour; the pairwise masks cancel in the sum. This class is that PRG: the seed
 * is the ChaCha20 key, the nonce is all zeros and the block counter starts at 0, and mask word i is
 * keystream bytes 4i..4i+3 read little-endian, as a Java {@code int} (so ring arithmetic is plain
 * {@code int} overflow). ChaCha20 is chosen over AES-CTR because the JDK runs it at gigabytes per
 * second from a cold start. Each seed must mask only one vector (SecAgg derives fresh seeds every
 * round), since the same seed always yields the same mask.
 *
 * <p>{@link #addMask} streams the keystream in {@value #CHUNK_BYTES}-byte chunks into the target,
 * so masking against many neighbours never materialises a mask per neighbour.
 *
 * <p>Thread-safety: stateless; each call uses its own {@link Cipher}, so calls are safe from any
 * thread (concurrent calls on the same target array must be synchronised by the caller).
 */
public final class MaskStream {

  /** Seed length in bytes (the ChaCha20 key). */
  public static final int SEED_BYTES = 32;
  /** Keystream bytes generated per cipher call. */
  public static final int CHUNK_BYTES = 16 * 1024;

  private static final byte[] NONCE = new byte[12];
  private static final byte[] ZEROS = new byte[CHUNK_BYTES];
  private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private MaskStream() {}

  /** The mask of {@code length} words for {@code seed}. */
  public static int[] expand(byte[] seed, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, was " + length);
    }
    int[] mask = new int[length];
    apply(mask, seed, 0);
    return mask;
  }

  /**
   * Adds ({@code sign} = +1) or subtracts ({@code sign} = -1) the mask of {@code seed} to
   * {@code target} in place, modulo 2<sup>32</sup>; the mask has {@code target.length} words.
   */
  public static void addMask(int[] target, byte[] seed, int sign) {
    Objects.requireNonNull(target, "target");
    if (sign != 1 && sign != -1) {
      throw new IllegalArgumentException("sign must be +1 or -1, was " + sign);
    }
    apply(target, seed, sign);
  }

  /** mode 0: overwrite with the mask; +1: add it; -1: subtract it. */
  private static void apply(int[] target, byte[] seed, int mode) {
    new Expander().apply(target, seed, mode);
  }

  /**
   * Expands many masks with one reusable cipher and buffer, for loops over many seeds (the server
   * removing thousands of masks). Not thread-safe: one per thread.
   */
  public static final class Expander {
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private final MemorySegment segment = MemorySegment.ofArray(buffer);
    private Cipher cipher;

    /** As {@link MaskStream#addMask}, reusing this expander's cipher and buffer. */
    public void addMask(int[] target, byte[] seed, int sign) {
      Objects.requireNonNull(target, "target");
      if (sign != 1 && sign != -1) {
        throw new IllegalArgumentException("sign must be +1 or -1, was " + sign);
      }
      apply(target, seed, sign);
    }

    void apply(int[] target, byte[] seed, int mode) {
      Objects.requireNonNull(seed, "seed");
      if (seed.length != SEED_BYTES) {
        throw new IllegalArgumentException(
            "seed.length must be " + SEED_BYTES + ", was " + seed.length);
      }
      if (target.length == 0) {
        return;
      }
      init(seed);
      int position = 0;
      while (position < target.length) {
        int words = Math.min(buffer.length / 4, target.length - position);
        int bytes = 4 * words;
        try {
          cipher.update(ZEROS, 0, bytes, buffer, 0);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("ChaCha20 keystream generation failed", e);
        }
        if (mode == 0) {
          for (int i = 0; i < words; i++) {
            target[position + i] = (int) INT_LE.get(buffer, 4 * i);
          }
        } else {
          addWords(target, position, words, mode);
        }
        position += words;
      }
    }

    /** target[position + i] += or -= keystream word i, LANES words at a time with the Vector API. */
    private void addWords(int[] target, int position, int words, int mode) {
      int i = 0;
      int bound = SPECIES.loopBound(words);
      for (; i < bound; i += SPECIES.length()) {
        IntVector k = IntVector.fromMemorySegment(SPECIES, segment, 4L * i, ByteOrder.LITTLE_ENDIAN);
        IntVector t = IntVector.fromArray(SPECIES, target, position + i);
        (mode > 0 ? t.add(k) : t.sub(k)).intoArray(target, position + i);
      }
      for (; i < words; i++) {
        int k = (int) INT_LE.get(buffer, 4 * i);
        target[position + i] += mode > 0 ? k : -k;
      }
    }

    private void init(byte[] seed) {
      try {
        if (cipher == null) {
          cipher = Cipher.getInstance("ChaCha20");
        }
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "ChaCha20"), new ChaCha20ParameterSpec(NONCE, 0));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK's ChaCha20 is unavailable", e);
      }
    }
  }
}
