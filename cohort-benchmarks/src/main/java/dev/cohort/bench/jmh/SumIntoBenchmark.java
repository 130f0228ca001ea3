package dev.cohort.bench.jmh;

import dev.cohort.tensor.kernel.VectorOps;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FedAvg accumulation {@code acc += weight * x} ({@link VectorOps#sumInto}) against a plain
 * scalar loop. The {@code bytes} counter is in bytes/ns (= GB/s), counting 12 bytes per element:
 * {@code acc} read and written, {@code x} read.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class SumIntoBenchmark {
  /** 100k floats stay in L2; 1M (4 MB per array) lives in L3; 10M goes to memory. */
  @Param({"100000", "1000000", "10000000"})
  public int size;

  private float[] acc;
  private float[] x;

  /** Bytes moved, reported per nanosecond (= GB/s). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Bytes {
    public long bytes;
  }

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    acc = new float[size];
    x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
  }

  @Benchmark
  public float[] vector(Bytes bytes) {
    VectorOps.sumInto(acc, x, 1e-3f);
    bytes.bytes += 12L * size;
    return acc;
  }

  @Benchmark
  public float[] scalar(Bytes bytes) {
    float[] a = acc;
    float[] v = x;
    for (int i = 0; i < a.length; i++) {
      a[i] += 1e-3f * v[i];
    }
    bytes.bytes += 12L * size;
    return a;
  }
}
