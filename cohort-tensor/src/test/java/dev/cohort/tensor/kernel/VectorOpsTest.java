package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorOpsTest {
  private static final int TRIALS = 40;

  // ---- element-wise ----

  @Test
  void axpy_matchesScalarLoop() {
    SplittableRandom random = new SplittableRandom(1L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int n = random.nextInt(70);
      int xOff = random.nextInt(5);
      int yOff = random.nextInt(5);
      float a = (float) random.nextDouble(-2, 2);
      float[] x = randomArray(random, xOff + n + 3);
      float[] y = randomArray(random, yOff + n + 3);
      float[] expected = y.clone();
      for (int i = 0; i < n; i++) {
        expected[yOff + i] = Math.fma(a, x[xOff + i], expected[yOff + i]);
      }
      VectorOps.axpy(a, x, xOff, y, yOff, n);
      assertThat(y).containsExactly(expected, within(1e-6f));
    }
  }

  @Test
  void sumInto_millionFloats_matchesScalarLoop() {
    SplittableRandom random = new SplittableRandom(2L);
    float[] acc = randomArray(random, 1_000_003);
    float[] x = randomArray(random, acc.length);
    float[] expected = acc.clone();
    for (int i = 0; i < acc.length; i++) {
      expected[i] += 0.3f * x[i];
    }
    VectorOps.sumInto(acc, x, 0.3f);
    float maxDifference = 0f;
    for (int i = 0; i < acc.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(acc[i] - expected[i]));
    }
    assertThat(maxDifference).isLessThanOrEqualTo(1e-6f);
  }

  @Test
  void sumInto_lengthMismatch_isRejected() {
    assertThatThrownBy(() -> VectorOps.sumInto(new float[3], new float[4], 1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x must have acc's length 3 but has 4");
  }

  @Test
  void scale_matchesScalarLoop() {
    SplittableRandom random = new SplittableRandom(3L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int n = random.nextInt(70);
      int off = random.nextInt(5);
      float[] x = randomArray(random, off + n + 2);
      float[] expected = x.clone();
      for (int i = 0; i < n; i++) {
        expected[off + i] *= -1.5f;
      }
      VectorOps.scale(-1.5f, x, off, n);
      assertThat(x).containsExactly(expected);
    }
  }

  @Test
  void add_matchesScalarLoopAndAllowsAliasing() {
    SplittableRandom random = new SplittableRandom(4L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int n = random.nextInt(70);
      float[] x = randomArray(random, n + 1);
      float[] y = randomArray(random, n + 2);
      float[] expected = new float[n + 3];
      for (int i = 0; i < n; i++) {
        expected[2 + i] = x[1 + i] + y[i];
      }
      float[] out = new float[n + 3];
      VectorOps.add(x, 1, y, 0, out, 2, n);
      assertThat(out).containsExactly(expected);
      VectorOps.add(x, 1, y, 0, x, 1, n);
      for (int i = 0; i < n; i++) {
        assertThat(x[1 + i]).isEqualTo(expected[2 + i]);
      }
    }
  }

  @Test
  void fill_setsOnlyTheWindow() {
    float[] x = new float[40];
    VectorOps.fill(x, 3, 35, 2f);
    assertThat(x[2]).isZero();
    assertThat(x[3]).isEqualTo(2f);
    assertThat(x[37]).isEqualTo(2f);
    assertThat(x[38]).isZero();
  }

  // ---- reductions ----

  @Test
  void sum_matchesScalarLoop() {
    SplittableRandom random = new SplittableRandom(5L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int n = random.nextInt(200);
      int off = random.nextInt(5);
      float[] x = randomArray(random, off + n);
      double expected = 0;
      for (int i = 0; i < n; i++) {
        expected += x[off + i];
      }
      assertThat((double) VectorOps.sum(x, off, n)).isCloseTo(expected, within(1e-4));
    }
  }

  @Test
  void dot_matchesScalarLoop() {
    SplittableRandom random = new SplittableRandom(6L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int n = random.nextInt(300);
      int xOff = random.nextInt(5);
      int yOff = random.nextInt(5);
      float[] x = randomArray(random, xOff + n);
      float[] y = randomArray(random, yOff + n);
      double expected = 0;
      for (int i = 0; i < n; i++) {
        expected += (double) x[xOff + i] * y[yOff + i];
      }
      assertThat((double) VectorOps.dot(x, xOff, y, yOff, n)).isCloseTo(expected, within(1e-4));
    }
  }

  @Test
  void sumOfSquares_longVector_keepsDoublePrecision() {
    SplittableRandom random = new SplittableRandom(7L);
    float[] x = randomArray(random, 1_000_001);
    double expected = 0;
    for (int i = 1; i < x.length; i++) {
      expected += (double) x[i] * x[i];
    }
    assertThat(VectorOps.sumOfSquares(x, 1, x.length - 1)).isCloseTo(expected, within(expected * 1e-6));
    assertThat(VectorOps.sumOfSquares(new float[] {3f, 4f}, 0, 2)).isEqualTo(25.0);
  }

  // ---- layer helpers ----

  @Test
  void reluInPlace_clampsNegativesAndKeepsNaN() {
    SplittableRandom random = new SplittableRandom(8L);
    float[] x = randomArray(random, 53);
    x[7] = Float.NaN;
    float[] expected = x.clone();
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] < 0f) {
        expected[i] = 0f;
      }
    }
    VectorOps.reluInPlace(x);
    assertThat(x).containsExactly(expected);
  }

  @Test
  void reluBackward_zeroesGradientWhereActivationIsNotPositive() {
    SplittableRandom random = new SplittableRandom(9L);
    float[] activations = randomArray(random, 61);
    VectorOps.reluInPlace(activations);
    float[] grad = randomArray(random, 61);
    float[] expected = grad.clone();
    for (int i = 0; i < expected.length; i++) {
      if (activations[i] <= 0f) {
        expected[i] = 0f;
      }
    }
    VectorOps.reluBackward(grad, activations);
    assertThat(grad).containsExactly(expected);
  }

  @Test
  void reluBackward_lengthMismatch_isRejected() {
    assertThatThrownBy(() -> VectorOps.reluBackward(new float[2], new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("activations must have grad's length 2 but has 3");
  }

  @Test
  void addBias_addsToEveryRow() {
    SplittableRandom random = new SplittableRandom(10L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int rows = 1 + random.nextInt(6);
      int cols = 1 + random.nextInt(70);
      float[] x = randomArray(random, 2 + rows * cols);
      float[] bias = randomArray(random, 1 + cols);
      float[] expected = x.clone();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          expected[2 + r * cols + c] += bias[1 + c];
        }
      }
      VectorOps.addBias(x, 2, rows, cols, bias, 1);
      assertThat(x).containsExactly(expected);
    }
  }

  @Test
  void columnSums_sumsOverRows() {
    SplittableRandom random = new SplittableRandom(11L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int rows = 1 + random.nextInt(40);
      int cols = 1 + random.nextInt(70);
      float[] x = randomArray(random, 1 + rows * cols);
      float[] out = randomArray(random, 3 + cols);
      float[] expected = out.clone();
      for (int c = 0; c < cols; c++) {
        float s = 0f;
        for (int r = 0; r < rows; r++) {
          s += x[1 + r * cols + c];
        }
        expected[3 + c] = s;
      }
      VectorOps.columnSums(x, 1, rows, cols, out, 3);
      assertThat(out).containsExactly(expected, within(1e-5f));
    }
  }

  // ---- validation ----

  @Test
  void windowBeyondArray_isRejectedNamingIt() {
    assertThatThrownBy(() -> VectorOps.axpy(1f, new float[4], 1, new float[8], 0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x window [1, 5) does not fit length 4");
    assertThatThrownBy(() -> VectorOps.scale(1f, new float[4], 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n must be >= 0 but was -1");
    assertThatThrownBy(() -> VectorOps.addBias(new float[6], 0, 2, 3, new float[2], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bias window [0, 3) does not fit length 2");
  }

  private static float[] randomArray(SplittableRandom random, int length) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return x;
  }
}
