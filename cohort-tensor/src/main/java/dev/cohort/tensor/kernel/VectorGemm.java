package dev.cohort.tensor.kernel;

import static dev.cohort.tensor.kernel.MicroKernels.L;
import static dev.cohort.tensor.kernel.MicroKernels.MR;
import static dev.cohort.tensor.kernel.MicroKernels.NR;

import java.util.Arrays;

/**
 * A pure-Java sgemm on the incubating Vector API ({@code FloatVector.SPECIES_PREFERRED}), used
 * when OpenBLAS is absent or {@code -Dcohort.blas=java}. With 512-bit vectors it runs at 110-200
 * GFLOP/s on one core on the shapes of the 2NN and CNN models (see {@code GemmBenchmark}).
 *
 * <p>It follows the Goto/BLIS scheme: {@code op(B)} is packed in blocks of {@code KC x NC} and
 * {@code op(A)} in blocks of {@code MC x KC} into contiguous panels ({@link Packing}), and an 8 x
 * 2-vector register-blocked kernel ({@link MicroKernels}) runs over them. Transposes are resolved
 * while packing, through in-register 16 x 16 transposes, so all four transpose combinations run
 * at similar speeds. Block sizes are balanced over each dimension so that no block is a thin
 * remainder. Three shapes that a dense layer meets at mini-batch sizes take other routes:
 *
 * <ul>
 *   <li>{@code A B^T} (B stored transposed, as a layer's weights in its forward pass) with at most
 *       {@link #THIN_MAX_ROWS} rows is computed as {@code C^T = B A^T}, with B's rows read in
 *       place by the kernel instead of transposed into panels;
 *   <li>with at most {@link #DOT_FEW_ROWS} rows, or at most {@link #DOT_MAX_ROWS} rows and few
 *       columns or a long depth, or few columns and a long depth, it runs as dot products of rows
 *       ({@link DotKernels}), reading B once along its rows;
 *   <li>a depth of at most {@link #SHALLOW_MAX_DEPTH} (a weight gradient over the batch) packs
 *       both operands whole and walks C strip by strip along its rows; and when C has at most 16
 *       rows and B is not transposed, B is read in place rather than packed.
 * </ul>
 *
 * <p>When {@link Kernels#intraOpThreads()} is above 1 and {@code m * n * k} is at least {@link
 * #PARALLEL_THRESHOLD}, the larger of the row and column ranges of C is split across the shared
 * intra-op pool. Problems below {@code m * n * k = 2048} skip packing altogether.
 *
 * <p>Results are accumulated in float, in blocks of up to 256 products, so they differ from
 * {@link ReferenceGemm} by rounding only. Before the JIT has compiled the kernels (the first few
 * hundred milliseconds of a process) Vector API code runs far slower than scalar code.
 *
 * <p>Thread-safe and stateless: packing buffers come from a shared free list, so concurrent
 * callers (including virtual threads) never share a buffer.
 */
public final class VectorGemm implements Gemm {
  /**
   * {@code m * n * k} from which a call is split across {@link Kernels#intraOpThreads()}: about
   * 2 MFLOP, 10-15 microseconds on one thread, so that all of the 2NN's large products at batch 32
   * split. The intra-op workers poll for work between calls ({@link IntraOpPool}), so a hand-off
   * costs well under a microsecond; with parked workers, splitting at this size made the 2NN
   * slower.
   */
  public static final long PARALLEL_THRESHOLD = 1L << 20;

  /** {@code m * n * k} below which packing costs more than it saves. */
  static final long SMALL_THRESHOLD = 2048;

  /**
   * Up to this many rows of C, a non-transposed B is read in place instead of packed: each element
   * of B is then used by at most two kernel calls, too few to repay the copy.
   */
  private static final int STREAM_B_MAX_ROWS = 16;

  /**
   * Up to this many rows of C, {@code A B^T} with B stored transposed runs as rows of dot
   * products ({@link DotKernels}) when C has fewer columns than a panel, or the depth is at least
   * {@link #DOT_LONG_DEPTH}: B (the CNN's 6.4 MB dense weights at batch 10) then streams from
   * memory once, along its rows, about 10% faster than through {@link #THIN_MAX_ROWS the thin
   * path}, which leaves part of each vector unused.
   */
  static final int DOT_MAX_ROWS = 16;

  /**
   * Up to this many rows of C, {@code A B^T} runs as dot products whatever the depth: a packed
   * panel of {@code A^T} would be mostly padding (one row ran 6x slower through it).
   */
  static final int DOT_FEW_ROWS = 4;

  /**
   * Up to this many rows of C (one panel), {@code A B^T} with B stored transposed is computed as
   * {@code C^T = B A^T} ({@link ThinGemm}). The 2NN's first layer at batch 32 ({@code 32 x 200 x
   * 784}) ran at 176-190 GFLOP/s this way against 135 through transposed packing of B; at batch
   * 10 its {@code 10 x 200 x 200} ran 3x faster than as dot products.
   */
  static final int THIN_MAX_ROWS = NR;

  /**
   * Depths up to this run through {@link #shallow}: a dense layer's weight gradient over a
   * mini-batch ({@code 200 x 784 x 32} in the 2NN) or a convolution's input gradient at batch 10.
   */
  static final int SHALLOW_MAX_DEPTH = 64;

  /** The shortest dot product for the {@link DotKernels} path: four vectors of 16 floats. */
  static final int DOT_MIN_DEPTH = 64;

  /**
   * From this depth, {@code A B^T} with fewer columns of C than one packed panel ({@code NR}) also
   * runs as dot products, whatever the number of rows: packing such a B transposes at most one
   * 16-row group and copies the other rows element by element, along all of {@code k}. A
   * convolution's weight gradient over a batch ({@code 32 x 25 x 7840} in the CNN's first layer)
   * took 0.13 ms this way instead of 0.2-0.3 ms; short products such as the 2NN's {@code 32 x 10 x
   * 200} stay faster packed.
   */
  static final int DOT_LONG_DEPTH = 1024;

  private static final int KC = 256;

  /**
   * The depth of a block when B is packed through transposes. Each packed block reads {@code kc}
   * floats from every row of B at a row stride of {@code ldb}; runs of 256 floats left the
   * hardware prefetcher too little to go on, and packing cost as much as the multiply on a
   * convolution's weight gradient ({@code 64 x 800 x 1960}). Twice the depth halves the number of
   * strided passes, while a B panel of {@code 512 x NR} floats still streams from L2. Blocks are
   * whole multiples of the vector length, so only the last one has rows that are not moved by
   * in-register transposes.
   */
  private static final int KC_TRANSPOSED_B = 512;
  private static final int MC = 128;
  private static final int NC = 2048;

  /** Creates the kernel; instances are interchangeable. */
  public VectorGemm() {}

  @Override
  public void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    GemmArguments.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (alpha == 0f) {
      scaleC(m, n, beta, c, cOff, ldc);
      return;
    }
    long work = (long) m * n * k;
    if (work < SMALL_THRESHOLD) {
      direct(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    int threads = work >= PARALLEL_THRESHOLD ? Kernels.intraOpThreads() : 1;
    if (transB && !transA && k >= DOT_MIN_DEPTH && asDots(m, n, k)) {
      dotNT(threads, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else if (transB && !transA && m <= THIN_MAX_ROWS && n >= NR && k >= DOT_MIN_DEPTH) {
      ThinGemm.multiply(threads, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      parallel(threads, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /** A piece {@code [from, to)} of a range split over threads. */
  interface RangePart {
    void run(int from, int to);
  }

  /**
   * Cuts {@code [0, extent)} into {@code parts} pieces of whole {@code unit}s (the last unit may
   * be short) and runs them on the intra-op pool, skipping empty pieces. The cut depends only on
   * the sizes, so results do not depend on which thread runs a piece.
   */
  static void splitRange(int extent, int unit, int parts, RangePart body) {
    int units = ceilDiv(extent, unit);
    Kernels.intraOpPool().run(parts, part -> {
      int from = Math.min(extent, (int) ((long) units * part / parts) * unit);
      int to = Math.min(extent, (int) ((long) units * (part + 1) / parts) * unit);
      if (from < to) {
        body.run(from, to);
      }
    });
  }

  /** Whether {@code A B^T} (B stored transposed) is best computed as dot products of rows. */
  private static boolean asDots(int m, int n, int k) {
    if (m <= DOT_FEW_ROWS) {
      return true;
    }
    boolean longDepth = k >= DOT_LONG_DEPTH;
    return m <= DOT_MAX_ROWS && (longDepth || n < NR) || n < NR && longDepth;
  }

  /** One thread's share of a product: {@link #shallow} for short depths, else {@link #blocked}. */
  private static void serial(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    if (k <= SHALLOW_MAX_DEPTH && (transB || m > STREAM_B_MAX_ROWS)) {
      shallow(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  @Override
  public String name() {
    return "java-vector";
  }

  /** The vector width in bits, for reports ("java-vector (512-bit)"). */
  public static int vectorBits() {
    return MicroKernels.SPECIES.vectorBitSize();
  }

  /**
   * The larger of C's row and column ranges split over up to {@code threads} threads, each part
   * through {@link #serial}; one thread runs {@link #serial} directly.
   */
  private static void parallel(
      int threads, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    boolean splitRows = m >= n;
    int unit = splitRows ? MR : NR;
    int extent = splitRows ? m : n;
    int parts = Math.min(threads, ceilDiv(extent, unit));
    if (parts < 2) {
      serial(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    splitRange(extent, unit, parts, (from, to) -> {
      if (splitRows) {
        int subA = aOff + (transA ? from : from * lda);
        serial(transA, transB, to - from, n, k, alpha, a, subA, lda, b, bOff, ldb,
            beta, c, cOff + from * ldc, ldc);
      } else {
        int subB = bOff + (transB ? from * ldb : from);
        serial(transA, transB, m, to - from, k, alpha, a, aOff, lda, b, subB, ldb,
            beta, c, cOff + from, ldc);
      }
    });
  }

  private static void dotNT(
      int threads, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    int parts = Math.min(threads, ceilDiv(n, 4));
    if (parts < 2) {
      DotKernels.dotNT(m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    splitRange(n, 4, parts, (from, to) ->
        DotKernels.dotNT(m, from, to, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
  }

  private static void blocked(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    int kcStep = transB
        ? Math.min(k, roundUp(ceilDiv(k, ceilDiv(k, KC_TRANSPOSED_B)), L))
        : ceilDiv(k, ceilDiv(k, KC));
    int mcStep = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);
    int ncStep = roundUp(ceilDiv(n, ceilDiv(n, NC)), NR);
    boolean streamB = !transB && m <= STREAM_B_MAX_ROWS;
    GemmScratch scratch = GemmScratch.acquire();
    try {
      float[] ap = scratch.packedA(mcStep * kcStep);
      float[] bp = scratch.packedB((streamB ? NR : ncStep) * kcStep);
      float[] tile = scratch.tile;
      for (int jc = 0; jc < n; jc += ncStep) {
        int nc = Math.min(ncStep, n - jc);
        for (int pc = 0; pc < k; pc += kcStep) {
          int kc = Math.min(kcStep, k - pc);
          float betaNow = pc == 0 ? beta : 1f;
          if (!streamB) {
            Packing.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp);
          }
          for (int ic = 0; ic < m; ic += mcStep) {
            int mc = Math.min(mcStep, m - ic);
            Packing.packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
            for (int jr = 0; jr < nc; jr += NR) {
              int cols = Math.min(NR, nc - jr);
              float[] panel = bp;
              int panelIdx = jr * kc;
              int stride = cols > L ? NR : L;
              if (streamB && cols == NR) {
                panel = b;
                panelIdx = bOff + pc * ldb + jc + jr;
                stride = ldb;
              } else if (streamB) {
                Packing.packB(false, b, bOff, ldb, pc, kc, jc + jr, cols, bp);
                panelIdx = 0;
              }
              int cRow = cOff + ic * ldc + jc + jr;
              for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int aIdx = ir * kc;
                MicroKernels.multiply(rows, cols, kc, ap, aIdx, panel, panelIdx, stride, tile);
                MicroKernels.store(tile, rows, cols, alpha, betaNow, c, cRow + ir * ldc, ldc);
              }
            }
          }
        }
      }
    } finally {
      GemmScratch.release(scratch);
    }
  }

  /**
   * A product with a short depth (a weight gradient over a mini-batch): every kernel call is
   * short, so the cost is moving the tiles of C. Both operands are packed whole, once, and C is
   * walked along its rows, one 8-row strip at a time, so each of its rows streams in order.
   */
  private static void shallow(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    GemmScratch scratch = GemmScratch.acquire();
    try {
      int mp = roundUp(m, MR);
      float[] ap = scratch.packedA(mp * k);
      float[] bp = scratch.packedB(roundUp(n, NR) * k);
      float[] tile = scratch.tile;
      Packing.packA(transA, a, aOff, lda, 0, m, 0, k, ap);
      Packing.packB(transB, b, bOff, ldb, 0, k, 0, n, bp);
      for (int ir = 0; ir < m; ir += MR) {
        int rows = Math.min(MR, m - ir);
        int aIdx = ir * k;
        int cRow = cOff + ir * ldc;
        for (int jr = 0; jr < n; jr += NR) {
          int cols = Math.min(NR, n - jr);
          int panelIdx = jr * k;
          MicroKernels.multiply(rows, cols, k, ap, aIdx, bp, panelIdx, cols > L ? NR : L, tile);
          MicroKernels.store(tile, rows, cols, alpha, beta, c, cRow + jr, ldc);
        }
      }
    } finally {
      GemmScratch.release(scratch);
    }
  }

  /** The unpacked path for tiny problems, accumulating in float like the blocked path. */
  private static void direct(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0f;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          s = Math.fma(av, bv, s);
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0f ? alpha * s : Math.fma(beta, c[ci], alpha * s);
      }
    }
  }

  private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      if (beta == 0f) {
        Arrays.fill(c, row, row + n, 0f);
      } else if (beta != 1f) {
        VectorOps.scale(beta, c, row, n);
      }
    }
  }

  static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  static int roundUp(int x, int multiple) {
    return ceilDiv(x, multiple) * multiple;
  }
}
