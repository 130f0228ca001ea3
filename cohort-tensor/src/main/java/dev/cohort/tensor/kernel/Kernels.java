package dev.cohort.tensor.kernel;

import java.util.Locale;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The process-wide choice of kernels and of intra-op parallelism.
 *
 * <p>{@code -Dcohort.blas=auto|java|openblas|reference} selects the matrix multiply returned by
 * {@link #gemm()}:
 *
 * <ul>
 *   <li>{@code auto} (the default): the pure-Java {@link VectorGemm} when the CPU has 512-bit
 *       vectors (there it measured 1.2-1.7x faster than Debian's OpenBLAS 0.3.21, whose kernels
 *       predate AVX-512 on such CPUs; see BENCHMARKS.md), otherwise OpenBLAS through the FFM API
 *       when {@code libopenblas.so.0} loads ({@link OpenBlasGemm}), otherwise {@link VectorGemm};
 *   <li>{@code java}: always {@link VectorGemm};
 *   <li>{@code openblas}: {@link OpenBlasGemm}, failing with {@link IllegalStateException} when the
 *       library does not load;
 *   <li>{@code reference}: the slow {@link ReferenceGemm}, for debugging.
 * </ul>
 *
 * The property is read on the first call to {@link #gemm()} or {@link #describe()}; the choice
 * then holds for the life of the process.
 *
 * <p>{@link #setIntraOpThreads} sets how many threads one kernel call may use (1 by default): it
 * sizes the pool that {@link VectorGemm} splits large calls over, and OpenBLAS's own thread count.
 * Keep it at 1 when the caller already runs several clients in parallel. Thread-safe.
 */
public final class Kernels {
  /** The system property that selects the matrix multiply. */
  public static final String BLAS_PROPERTY = "cohort.blas";

  private static final Object LOCK = new Object();
  private static volatile Gemm selected;
  private static volatile int intraOpThreads = 1;
  private static volatile IntraOpPool pool = new IntraOpPool(0);

  private Kernels() {}

  /**
   * The selected matrix multiply.
   *
   * @throws IllegalStateException if {@code cohort.blas} has an unknown value, or is {@code
   *     openblas} and the library does not load
   */
  public static Gemm gemm() {
    Gemm gemm = selected;
    if (gemm == null) {
      synchronized (LOCK) {
        gemm = selected;
        if (gemm == null) {
          gemm = select(System.getProperty(BLAS_PROPERTY, "auto"));
          selected = gemm;
        }
      }
    }
    return gemm;
  }

  /**
   * A one-line description of the selected matrix multiply for reports, such as {@code "openblas
   * (/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0)"} or {@code "java-vector
   * (512-bit)"}.
   */
  public static String describe() {
    return describe(gemm());
  }

  /** How many threads one kernel call may use; 1 unless {@link #setIntraOpThreads} changed it. */
  public static int intraOpThreads() {
    return intraOpThreads;
  }

  /**
   * Sets how many threads one kernel call may use, including the calling thread. Applies to calls
   * that start afterwards.
   *
   * @throws IllegalArgumentException if {@code threads} is not in {@code [1, 256]}
   */
  public static void setIntraOpThreads(int threads) {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be in [1, 256] but was " + threads);
    }
    synchronized (LOCK) {
      if (threads == intraOpThreads) {
        return;
      }
      IntraOpPool old = pool;
      // OpenBLAS runs its own threads between our parallel loops: ours must not poll meanwhile.
      long spin = gemm() instanceof OpenBlasGemm ? 0 : IntraOpPool.SPIN_NANOS;
      pool = new IntraOpPool(threads - 1, spin);
      intraOpThreads = threads;
      old.shutdown();
      Optional<OpenBlasGemm> openBlas = OpenBlasGemm.ifLoaded();
      openBlas.ifPresent(gemm -> gemm.setThreads(threads));
    }
  }

  /**
   * Runs {@code part.accept(p)} for every {@code p} in {@code [0, parts)} on the intra-op threads
   * ({@link #setIntraOpThreads}) and returns when all are done, for data movement around the
   * kernels (such as im2col) that is worth splitting like the kernels themselves. The caller runs
   * part 0 and any part no worker has started; a call from an intra-op thread runs every part on
   * that thread. Parts must write disjoint data.
   *
   * @throws IllegalArgumentException if {@code parts < 1}
   */
  public static void parallelFor(int parts, IntConsumer part) {
    if (parts < 1) {
      throw new IllegalArgumentException("parts must be >= 1 but was " + parts);
    }
    pool.run(parts, part);
  }

  /** The pool that parallel kernels split their work over. */
  static IntraOpPool intraOpPool() {
    return pool;
  }

  /** The matrix multiply for a {@code cohort.blas} value. */
  static Gemm select(String value) {
    String choice = value == null ? "auto" : value.strip().toLowerCase(Locale.ROOT);
    return switch (choice) {
      case "", "auto" -> VectorGemm.vectorBits() >= 512
          ? new VectorGemm()
          : OpenBlasGemm.load().<Gemm>map(g -> g).orElseGet(VectorGemm::new);
      case "java" -> new VectorGemm();
      case "reference" -> new ReferenceGemm();
      case "openblas" ->
          OpenBlasGemm.load()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          BLAS_PROPERTY + "=openblas but OpenBLAS did not load ("
                              + OpenBlasGemm.loadFailure() + "); install libopenblas0-pthread, set -D"
                              + OpenBlasGemm.LIBRARY_PROPERTY + "=/path/to/libopenblas.so.0, or use -D"
                              + BLAS_PROPERTY + "=java"));
      default ->
          throw new IllegalStateException(
              BLAS_PROPERTY + " must be auto, java, openblas or reference but was '" + value + "'");
    };
  }

  /** The report line for a given kernel. */
  static String describe(Gemm gemm) {
    return switch (gemm) {
      case OpenBlasGemm o -> "openblas (" + o.library() + ")";
      case VectorGemm _ -> "java-vector (" + VectorGemm.vectorBits() + "-bit)";
      default -> gemm.name();
    };
  }
}
