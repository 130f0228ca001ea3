package dev.cohort.tensor.kernel;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Packing buffers and the accumulator tile of one {@link VectorGemm} call, from a shared free
 * list so that concurrent callers (including virtual threads) never share a buffer and steady
 * training allocates nothing. Buffers grow on demand and never shrink; at most {@link
 * #MAX_FREE} are kept.
 */
final class GemmScratch {
  private static final int MAX_FREE = 16;
  private static final ConcurrentLinkedQueue<GemmScratch> FREE = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger FREE_COUNT = new AtomicInteger();

  final float[] tile = new float[MicroKernels.TILE];
  private float[] packedA = new float[0];
  private float[] packedB = new float[0];

  private GemmScratch() {}

  /** A free scratch, or a new one. */
  static GemmScratch acquire() {
    GemmScratch s = FREE.poll();
    if (s == null) {
      return new GemmScratch();
    }
    FREE_COUNT.decrementAndGet();
    return s;
  }

  /** Returns {@code s} to the free list (or drops it when the list is full). */
  static void release(GemmScratch s) {
    if (FREE_COUNT.incrementAndGet() <= MAX_FREE) {
      FREE.offer(s);
    } else {
      FREE_COUNT.decrementAndGet();
    }
  }

  /** The A buffer, at least {@code size} floats. */
  float[] packedA(int size) {
    if (packedA.length < size) {
      packedA = new float[size];
    }
    return packedA;
  }

  /** The B buffer, at least {@code size} floats. */
  float[] packedB(int size) {
    if (packedB.length < size) {
      packedB = new float[size];
    }
    return packedB;
  }
}
