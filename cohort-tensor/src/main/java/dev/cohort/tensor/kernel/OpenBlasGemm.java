package dev.cohort.tensor.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * sgemm through OpenBLAS's {@code cblas_sgemm}, called with the FFM API (no JNI, no dependency):
 * about twice the speed of {@link VectorGemm} on this project's shapes.
 *
 * <p>Heap arrays are passed to the native code directly ({@link Linker.Option#critical(boolean)}
 * with heap access), so there is no copy in or out; the garbage collector may be held off for
 * the duration of a call. Every extent is checked before the call, since the native code does not
 * check bounds.
 *
 * <p>{@link #load()} looks the library up once: {@code libopenblas.so.0} through the dynamic
 * linker, then the Debian alternatives directories ({@code openblas-pthread}, {@code
 * openblas-openmp}, {@code openblas-serial}). {@code -Dcohort.openblas.library=/path/lib.so}
 * is tried first when set. OpenBLAS's own thread count is set to {@link Kernels#intraOpThreads()}
 * (1 by default) when {@code openblas_set_num_threads} exists.
 *
 * <p>Thread-safe: OpenBLAS's sgemm is reentrant. Changing its thread count while another thread
 * is inside sgemm is left to OpenBLAS.
 */
public final class OpenBlasGemm implements Gemm {
  /** System property naming a library file (or name) to try before the defaults. */
  public static final String LIBRARY_PROPERTY = "cohort.openblas.library";

  private static final int CBLAS_ROW_MAJOR = 101;
  private static final int CBLAS_NO_TRANS = 111;
  private static final int CBLAS_TRANS = 112;
  private static final String SONAME = "libopenblas.so.0";

  private static volatile OpenBlasGemm loaded;

  private final MethodHandle sgemm;
  private final MethodHandle setNumThreads;
  private final String library;
  private final String config;

  private OpenBlasGemm(MethodHandle sgemm, MethodHandle setNumThreads, String library, String config) {
    this.sgemm = sgemm;
    this.setNumThreads = setNumThreads;
    this.library = library;
    this.config = config;
  }

  /**
   * The OpenBLAS kernel, or empty when the library cannot be loaded (see {@link #loadFailure()}).
   * The lookup runs once per process; later calls return the same answer.
   */
  public static Optional<OpenBlasGemm> load() {
    return Holder.INSTANCE;
  }

  /** Why {@link #load()} is empty, or an empty string when it is not. */
  public static String loadFailure() {
    return Holder.FAILURE;
  }

  /** The instance if {@link #load()} already succeeded, without attempting a load. */
  static Optional<OpenBlasGemm> ifLoaded() {
    return Optional.ofNullable(loaded);
  }

  @Override
  public void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    GemmArguments.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    MemorySegment sa = MemorySegment.ofArray(a).asSlice((long) aOff * Float.BYTES);
    MemorySegment sb = MemorySegment.ofArray(b).asSlice((long) bOff * Float.BYTES);
    MemorySegment sc = MemorySegment.ofArray(c).asSlice((long) cOff * Float.BYTES);
    try {
      sgemm.invokeExact(
          CBLAS_ROW_MAJOR, transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
          transB ? CBLAS_TRANS : CBLAS_NO_TRANS, m, n, k, alpha,
          sa, lda, sb, ldb, beta, sc, ldc);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cblas_sgemm failed", t);
    }
  }

  @Override
  public String name() {
    return "openblas";
  }

  /** The file the library was loaded from, or the name given to the dynamic linker. */
  public String library() {
    return library;
  }

  /** OpenBLAS's build description ({@code openblas_get_config}), or "" if unavailable. */
  public String config() {
    return config;
  }

  /** Sets OpenBLAS's thread count when the library exports {@code openblas_set_num_threads}. */
  void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
    }
    if (setNumThreads == null) {
      return;
    }
    try {
      setNumThreads.invokeExact(threads);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("openblas_set_num_threads failed", t);
    }
  }

  private static final class Holder {
    static final Optional<OpenBlasGemm> INSTANCE;
    static final String FAILURE;

    static {
      List<String> failures = new ArrayList<>();
      OpenBlasGemm gemm = null;
      for (String candidate : candidates()) {
        try {
          gemm = bind(candidate);
          break;
        } catch (RuntimeException | LinkageError e) {
          failures.add(candidate + ": " + e.getMessage());
        }
      }
      if (gemm != null) {
        gemm.setThreads(Kernels.intraOpThreads());
        loaded = gemm;
      }
      INSTANCE = Optional.ofNullable(gemm);
      FAILURE = gemm != null ? "" : String.join("; ", failures);
    }

    private static List<String> candidates() {
      List<String> names = new ArrayList<>();
      String configured = System.getProperty(LIBRARY_PROPERTY, "").strip();
      if (!configured.isEmpty()) {
        names.add(configured);
      }
      names.add(SONAME);
      for (String arch : List.of("x86_64-linux-gnu", "aarch64-linux-gnu")) {
        for (String flavour : List.of("openblas-pthread", "openblas-openmp", "openblas-serial")) {
          names.add("/usr/lib/" + arch + "/" + flavour + "/" + SONAME);
        }
      }
      return names;
    }

    private static OpenBlasGemm bind(String candidate) {
      Arena arena = Arena.global();
      SymbolLookup lookup =
          candidate.contains("/")
              ? SymbolLookup.libraryLookup(Path.of(candidate), arena)
              : SymbolLookup.libraryLookup(candidate, arena);
      Linker linker = Linker.nativeLinker();
      MemorySegment sgemmSymbol =
          lookup.find("cblas_sgemm")
              .orElseThrow(() -> new IllegalArgumentException("no cblas_sgemm symbol"));
      FunctionDescriptor sgemmType =
          FunctionDescriptor.ofVoid(
              ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
              ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
              ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
      MethodHandle sgemm =
          linker.downcallHandle(sgemmSymbol, sgemmType, Linker.Option.critical(true));
      MethodHandle setThreads =
          lookup.find("openblas_set_num_threads")
              .map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)))
              .orElse(null);
      String config =
          lookup.find("openblas_get_config")
              .map(s -> readConfig(linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.ADDRESS))))
              .orElse("");
      String library = candidate.contains("/") ? candidate : mappedPath().orElse(candidate);
      return new OpenBlasGemm(sgemm, setThreads, library, config);
    }

    private static String readConfig(MethodHandle getConfig) {
      try {
        MemorySegment text = (MemorySegment) getConfig.invokeExact();
        return text.equals(MemorySegment.NULL) ? "" : text.reinterpret(1024).getString(0).strip();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("openblas_get_config failed", t);
      }
    }

    /** The file the dynamic linker mapped for {@code libopenblas}, read from /proc/self/maps. */
    private static Optional<String> mappedPath() {
      Path maps = Path.of("/proc/self/maps");
      if (!Files.isReadable(maps)) {
        return Optional.empty();
      }
      try (Stream<String> lines = Files.lines(maps)) {
        return lines
            .map(line -> line.indexOf('/') >= 0 ? line.substring(line.indexOf('/')) : "")
            .filter(path -> path.contains("libopenblas"))
            .findFirst();
      } catch (IOException | UncheckedIOException e) {
        return Optional.empty();
      }
    }
  }
}
