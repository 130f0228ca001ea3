package dev.cohort.bench.jmh;

import dev.cohort.tensor.kernel.Gemm;
import dev.cohort.tensor.kernel.Kernels;
import dev.cohort.tensor.kernel.OpenBlasGemm;
import dev.cohort.tensor.kernel.VectorGemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * sgemm throughput of {@link VectorGemm} and {@link OpenBlasGemm} on the shapes Cohort's models
 * run. The {@code flop} counter is in flop/ns, i.e. GFLOP/s.
 *
 * <p>{@code shape} is {@code OPS:MxNxK}, where OPS gives op(A) and op(B) ({@code N} as stored,
 * {@code T} transposed): 2NN (784-200-200-10) at batch 32 forward and backward, the McMahan CNN's
 * conv layers through im2col at batch 10 and its 3136-512 dense layer. Run, for example:
 *
 * <pre>
 * java -cp cohort-benchmarks.jar:... org.openjdk.jmh.Main GemmBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 *
 * {@code -p threads=2} measures intra-op parallelism ({@link Kernels#setIntraOpThreads}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class GemmBenchmark {
  @Param({
    // 2NN (Dense: y = x W^T, W stored [out, in]) at batch 32: forward y = x W^T, weight
    // gradient dW = dY^T x, input gradient dX = dY W
    "NT:32x200x784", "NT:32x200x200", "NT:32x10x200",
    "TN:200x784x32", "TN:200x200x32", "NN:32x200x200",
    // CNN conv2 (im2col, batch 10): forward, dW, dCols; conv1 forward
    "NT:1960x64x800", "TN:64x800x1960", "NN:1960x800x64", "NT:7840x32x25",
    // CNN dense 3136 -> 512 at batch 10: forward, dW, dX
    "NN:10x512x3136", "TN:3136x512x10", "NT:10x3136x512"
  })
  public String shape;

  @Param({"java", "openblas"})
  public String impl;

  @Param({"1"})
  public int threads;

  private Gemm gemm;
  private boolean transA;
  private boolean transB;
  private int m;
  private int n;
  private int k;
  private float[] a;
  private float[] b;
  private float[] c;

  /** Floating-point operations done, reported per nanosecond (= GFLOP/s). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Flops {
    public long flop;
  }

  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = shape.split(":");
    transA = parts[0].charAt(0) == 'T';
    transB = parts[0].charAt(1) == 'T';
    String[] dims = parts[1].split("x");
    m = Integer.parseInt(dims[0]);
    n = Integer.parseInt(dims[1]);
    k = Integer.parseInt(dims[2]);
    gemm = switch (impl) {
      case "java" -> new VectorGemm();
      case "openblas" -> OpenBlasGemm.load().orElseThrow(() -> new IllegalStateException(
          "OpenBLAS not available: " + OpenBlasGemm.loadFailure()));
      default -> throw new IllegalArgumentException("impl must be java or openblas but was " + impl);
    };
    Kernels.setIntraOpThreads(threads);
    SplittableRandom random = new SplittableRandom(42);
    a = random(random, m * k);
    b = random(random, k * n);
    c = new float[m * n];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Kernels.setIntraOpThreads(1);
  }

  @Benchmark
  public float[] sgemm(Flops flops) {
    gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n,
        0f, c, 0, n);
    flops.flop += 2L * m * n * k;
    return c;
  }

  private static float[] random(SplittableRandom random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return x;
  }
}
