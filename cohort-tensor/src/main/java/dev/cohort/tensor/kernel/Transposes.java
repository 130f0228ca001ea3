package dev.cohort.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes of 16-lane blocks for {@link Packing}: a transposed operand is packed
 * with full-width loads, two-source permutes and full-width stores instead of one scalar load and
 * store per element, which made packing as costly as the multiply on thin problems.
 *
 * <p>Each transpose is a sequence of rounds; a round swaps one bit of the row index with one bit
 * of the lane index by combining pairs of rows with two-source permutes ({@link
 * FloatVector#selectFrom(jdk.incubator.vector.Vector, jdk.incubator.vector.Vector)}). Only usable
 * when {@link #AVAILABLE} (16-lane float vectors, i.e. 512-bit). Stateless and thread-safe.
 */
final class Transposes {
  /** Whether the preferred species has 16 float lanes, which these transposes assume. */
  static final boolean AVAILABLE = FloatVector.SPECIES_PREFERRED.length() == 16;

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private static final FloatVector LOW0 = lanes(0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
  private static final FloatVector HIGH0 = lanes(1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
  private static final FloatVector LOW1 = lanes(0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
  private static final FloatVector HIGH1 = lanes(2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
  private static final FloatVector LOW2 = lanes(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
  private static final FloatVector HIGH2 = lanes(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
  private static final FloatVector LOW3 = lanes(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  private static final FloatVector HIGH3 = lanes(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);

  /** Moves lane bits (r2 r1 r0 p0) to (p0 r2 r1 r0): the A panel order after three rounds. */
  private static final VectorShuffle<Float> PANEL_ORDER =
      AVAILABLE ? VectorShuffle.fromValues(SPECIES, 0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15) : null;

  private Transposes() {}

  /**
   * Writes the transpose of the 16 x 16 block at {@code src} (row stride {@code ld}) to {@code
   * dst} (row stride {@code dstStride}): row {@code i} of the output holds column {@code i} of the
   * input. Used for transposed B panels.
   */
  static void transpose16x16(float[] src, int srcIdx, int ld, float[] dst, int dstIdx, int dstStride) {
    FloatVector v0 = FloatVector.fromArray(SPECIES, src, srcIdx);
    FloatVector v1 = FloatVector.fromArray(SPECIES, src, srcIdx + 1 * ld);
    FloatVector v2 = FloatVector.fromArray(SPECIES, src, srcIdx + 2 * ld);
    FloatVector v3 = FloatVector.fromArray(SPECIES, src, srcIdx + 3 * ld);
    FloatVector v4 = FloatVector.fromArray(SPECIES, src, srcIdx + 4 * ld);
    FloatVector v5 = FloatVector.fromArray(SPECIES, src, srcIdx + 5 * ld);
    FloatVector v6 = FloatVector.fromArray(SPECIES, src, srcIdx + 6 * ld);
    FloatVector v7 = FloatVector.fromArray(SPECIES, src, srcIdx + 7 * ld);
    FloatVector v8 = FloatVector.fromArray(SPECIES, src, srcIdx + 8 * ld);
    FloatVector v9 = FloatVector.fromArray(SPECIES, src, srcIdx + 9 * ld);
    FloatVector v10 = FloatVector.fromArray(SPECIES, src, srcIdx + 10 * ld);
    FloatVector v11 = FloatVector.fromArray(SPECIES, src, srcIdx + 11 * ld);
    FloatVector v12 = FloatVector.fromArray(SPECIES, src, srcIdx + 12 * ld);
    FloatVector v13 = FloatVector.fromArray(SPECIES, src, srcIdx + 13 * ld);
    FloatVector v14 = FloatVector.fromArray(SPECIES, src, srcIdx + 14 * ld);
    FloatVector v15 = FloatVector.fromArray(SPECIES, src, srcIdx + 15 * ld);
    FloatVector t;
    // round 0: row bit 0 <-> lane bit 0
    t = LOW0.selectFrom(v0, v1);
    v1 = HIGH0.selectFrom(v0, v1);
    v0 = t;
    t = LOW0.selectFrom(v2, v3);
    v3 = HIGH0.selectFrom(v2, v3);
    v2 = t;
    t = LOW0.selectFrom(v4, v5);
    v5 = HIGH0.selectFrom(v4, v5);
    v4 = t;
    t = LOW0.selectFrom(v6, v7);
    v7 = HIGH0.selectFrom(v6, v7);
    v6 = t;
    t = LOW0.selectFrom(v8, v9);
    v9 = HIGH0.selectFrom(v8, v9);
    v8 = t;
    t = LOW0.selectFrom(v10, v11);
    v11 = HIGH0.selectFrom(v10, v11);
    v10 = t;
    t = LOW0.selectFrom(v12, v13);
    v13 = HIGH0.selectFrom(v12, v13);
    v12 = t;
    t = LOW0.selectFrom(v14, v15);
    v15 = HIGH0.selectFrom(v14, v15);
    v14 = t;
    // round 1: row bit 1 <-> lane bit 1
    t = LOW1.selectFrom(v0, v2);
    v2 = HIGH1.selectFrom(v0, v2);
    v0 = t;
    t = LOW1.selectFrom(v1, v3);
    v3 = HIGH1.selectFrom(v1, v3);
    v1 = t;
    t = LOW1.selectFrom(v4, v6);
    v6 = HIGH1.selectFrom(v4, v6);
    v4 = t;
    t = LOW1.selectFrom(v5, v7);
    v7 = HIGH1.selectFrom(v5, v7);
    v5 = t;
    t = LOW1.selectFrom(v8, v10);
    v10 = HIGH1.selectFrom(v8, v10);
    v8 = t;
    t = LOW1.selectFrom(v9, v11);
    v11 = HIGH1.selectFrom(v9, v11);
    v9 = t;
    t = LOW1.selectFrom(v12, v14);
    v14 = HIGH1.selectFrom(v12, v14);
    v12 = t;
    t = LOW1.selectFrom(v13, v15);
    v15 = HIGH1.selectFrom(v13, v15);
    v13 = t;
    // round 2: row bit 2 <-> lane bit 2
    t = LOW2.selectFrom(v0, v4);
    v4 = HIGH2.selectFrom(v0, v4);
    v0 = t;
    t = LOW2.selectFrom(v1, v5);
    v5 = HIGH2.selectFrom(v1, v5);
    v1 = t;
    t = LOW2.selectFrom(v2, v6);
    v6 = HIGH2.selectFrom(v2, v6);
    v2 = t;
    t = LOW2.selectFrom(v3, v7);
    v7 = HIGH2.selectFrom(v3, v7);
    v3 = t;
    t = LOW2.selectFrom(v8, v12);
    v12 = HIGH2.selectFrom(v8, v12);
    v8 = t;
    t = LOW2.selectFrom(v9, v13);
    v13 = HIGH2.selectFrom(v9, v13);
    v9 = t;
    t = LOW2.selectFrom(v10, v14);
    v14 = HIGH2.selectFrom(v10, v14);
    v10 = t;
    t = LOW2.selectFrom(v11, v15);
    v15 = HIGH2.selectFrom(v11, v15);
    v11 = t;
    // round 3: row bit 3 <-> lane bit 3
    t = LOW3.selectFrom(v0, v8);
    v8 = HIGH3.selectFrom(v0, v8);
    v0 = t;
    t = LOW3.selectFrom(v1, v9);
    v9 = HIGH3.selectFrom(v1, v9);
    v1 = t;
    t = LOW3.selectFrom(v2, v10);
    v10 = HIGH3.selectFrom(v2, v10);
    v2 = t;
    t = LOW3.selectFrom(v3, v11);
    v11 = HIGH3.selectFrom(v3, v11);
    v3 = t;
    t = LOW3.selectFrom(v4, v12);
    v12 = HIGH3.selectFrom(v4, v12);
    v4 = t;
    t = LOW3.selectFrom(v5, v13);
    v13 = HIGH3.selectFrom(v5, v13);
    v5 = t;
    t = LOW3.selectFrom(v6, v14);
    v14 = HIGH3.selectFrom(v6, v14);
    v6 = t;
    t = LOW3.selectFrom(v7, v15);
    v15 = HIGH3.selectFrom(v7, v15);
    v7 = t;
    v0.intoArray(dst, dstIdx);
    v1.intoArray(dst, dstIdx + 1 * dstStride);
    v2.intoArray(dst, dstIdx + 2 * dstStride);
    v3.intoArray(dst, dstIdx + 3 * dstStride);
    v4.intoArray(dst, dstIdx + 4 * dstStride);
    v5.intoArray(dst, dstIdx + 5 * dstStride);
    v6.intoArray(dst, dstIdx + 6 * dstStride);
    v7.intoArray(dst, dstIdx + 7 * dstStride);
    v8.intoArray(dst, dstIdx + 8 * dstStride);
    v9.intoArray(dst, dstIdx + 9 * dstStride);
    v10.intoArray(dst, dstIdx + 10 * dstStride);
    v11.intoArray(dst, dstIdx + 11 * dstStride);
    v12.intoArray(dst, dstIdx + 12 * dstStride);
    v13.intoArray(dst, dstIdx + 13 * dstStride);
    v14.intoArray(dst, dstIdx + 14 * dstStride);
    v15.intoArray(dst, dstIdx + 15 * dstStride);
  }

  /**
   * Packs 8 rows x 16 columns at {@code src} (row stride {@code ld}) into 128 consecutive floats at
   * {@code dst}, column by column: element {@code (r, p)} goes to {@code dst + p * 8 + r}. Used for
   * A panels of {@link MicroKernels#MR} = 8 rows.
   */
  static void pack8x16(float[] src, int srcIdx, int ld, float[] dst, int dstIdx) {
    FloatVector v0 = FloatVector.fromArray(SPECIES, src, srcIdx);
    FloatVector v1 = FloatVector.fromArray(SPECIES, src, srcIdx + 1 * ld);
    FloatVector v2 = FloatVector.fromArray(SPECIES, src, srcIdx + 2 * ld);
    FloatVector v3 = FloatVector.fromArray(SPECIES, src, srcIdx + 3 * ld);
    FloatVector v4 = FloatVector.fromArray(SPECIES, src, srcIdx + 4 * ld);
    FloatVector v5 = FloatVector.fromArray(SPECIES, src, srcIdx + 5 * ld);
    FloatVector v6 = FloatVector.fromArray(SPECIES, src, srcIdx + 6 * ld);
    FloatVector v7 = FloatVector.fromArray(SPECIES, src, srcIdx + 7 * ld);
    FloatVector t;
    // round 0: row bit 0 <-> lane bit 1
    t = LOW1.selectFrom(v0, v1);
    v1 = HIGH1.selectFrom(v0, v1);
    v0 = t;
    t = LOW1.selectFrom(v2, v3);
    v3 = HIGH1.selectFrom(v2, v3);
    v2 = t;
    t = LOW1.selectFrom(v4, v5);
    v5 = HIGH1.selectFrom(v4, v5);
    v4 = t;
    t = LOW1.selectFrom(v6, v7);
    v7 = HIGH1.selectFrom(v6, v7);
    v6 = t;
    // round 1: row bit 1 <-> lane bit 2
    t = LOW2.selectFrom(v0, v2);
    v2 = HIGH2.selectFrom(v0, v2);
    v0 = t;
    t = LOW2.selectFrom(v1, v3);
    v3 = HIGH2.selectFrom(v1, v3);
    v1 = t;
    t = LOW2.selectFrom(v4, v6);
    v6 = HIGH2.selectFrom(v4, v6);
    v4 = t;
    t = LOW2.selectFrom(v5, v7);
    v7 = HIGH2.selectFrom(v5, v7);
    v5 = t;
    // round 2: row bit 2 <-> lane bit 3
    t = LOW3.selectFrom(v0, v4);
    v4 = HIGH3.selectFrom(v0, v4);
    v0 = t;
    t = LOW3.selectFrom(v1, v5);
    v5 = HIGH3.selectFrom(v1, v5);
    v1 = t;
    t = LOW3.selectFrom(v2, v6);
    v6 = HIGH3.selectFrom(v2, v6);
    v2 = t;
    t = LOW3.selectFrom(v3, v7);
    v7 = HIGH3.selectFrom(v3, v7);
    v3 = t;
    v0.rearrange(PANEL_ORDER).intoArray(dst, dstIdx);
    v1.rearrange(PANEL_ORDER).intoArray(dst, dstIdx + 16);
    v2.rearrange(PANEL_ORDER).intoArray(dst, dstIdx + 32);
    v3.rearrange(PANEL_ORDER).intoArray(dst, dstIdx + 48);
    v4.rearrange(PANEL_ORDER).intoArray(dst, dstIdx + 64);
    v5.rearrange(PANEL_ORDER).intoArray(dst, dstIdx + 80);
    v6.rearrange(PANEL_ORDER).intoArray(dst, dstIdx + 96);
    v7.rearrange(PANEL_ORDER).intoArray(dst, dstIdx + 112);
  }

  private static FloatVector lanes(int... values) {
    if (!AVAILABLE) {
      return null;
    }
    float[] f = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      f[i] = values[i];
    }
    return FloatVector.fromArray(SPECIES, f, 0);
  }
}
