package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Im2ColTest {
  @Test
  void im2colTimesWeights_matchesDirectConvolution() {
    SplittableRandom random = new SplittableRandom(1L);
    for (int trial = 0; trial < 40; trial++) {
      int batch = 1 + random.nextInt(3);
      int channels = 1 + random.nextInt(3);
      int height = 1 + random.nextInt(9);
      int width = 1 + random.nextInt(9);
      int kh = 1 + random.nextInt(5);
      int kw = 1 + random.nextInt(5);
      int padding = random.nextInt(3);
      if (height + 2 * padding < kh || width + 2 * padding < kw) {
        continue;
      }
      int outChannels = 1 + random.nextInt(4);
      int outH = Im2Col.outputSize(height, kh, padding);
      int outW = Im2Col.outputSize(width, kw, padding);
      int patch = channels * kh * kw;
      float[] input = randomArray(random, 1 + batch * channels * height * width);
      float[] weights = randomArray(random, outChannels * patch);

      float[] cols = new float[2 + batch * outH * outW * patch];
      Im2Col.im2col(input, 1, batch, channels, height, width, kh, kw, padding, cols, 2);
      float[] rows = new float[batch * outH * outW * outChannels];
      new VectorGemm().sgemm(false, true, batch * outH * outW, outChannels, patch, 1f,
          cols, 2, patch, weights, 0, patch, 0f, rows, 0, outChannels);
      float[] output = new float[batch * outChannels * outH * outW];
      Im2Col.rowsToNchw(rows, 0, batch, outChannels, outH, outW, output, 0);

      float[] expected = directConvolution(input, 1, batch, channels, height, width,
          weights, outChannels, kh, kw, padding);
      assertThat(output).containsExactly(expected, within(1e-4f));
    }
  }

  @Test
  void col2im_isTheAdjointOfIm2col() {
    SplittableRandom random = new SplittableRandom(2L);
    for (int trial = 0; trial < 30; trial++) {
      int batch = 1 + random.nextInt(2);
      int channels = 1 + random.nextInt(3);
      int height = 2 + random.nextInt(7);
      int width = 2 + random.nextInt(7);
      int kh = 1 + random.nextInt(Math.min(height, 4));
      int kw = 1 + random.nextInt(Math.min(width, 4));
      int padding = random.nextInt(3);
      int outH = Im2Col.outputSize(height, kh, padding);
      int outW = Im2Col.outputSize(width, kw, padding);
      int colsSize = batch * outH * outW * channels * kh * kw;
      float[] x = randomArray(random, batch * channels * height * width);
      float[] y = randomArray(random, colsSize);
      float[] cols = new float[colsSize];
      Im2Col.im2col(x, 0, batch, channels, height, width, kh, kw, padding, cols, 0);
      float[] back = randomArray(random, x.length);
      Im2Col.col2im(y, 0, batch, channels, height, width, kh, kw, padding, back, 0);
      // <im2col(x), y> == <x, col2im(y)>
      assertThat(dot(cols, y)).isCloseTo(dot(x, back), within(1e-3));
    }
  }

  @Test
  void col2im_sumsOverlappingPatches() {
    // 1 x 1 x 1 x 3 input, kernel 1 x 2, no padding: two patches share the middle pixel.
    float[] cols = {1f, 2f, 3f, 4f};
    float[] input = {9f, 9f, 9f};
    Im2Col.col2im(cols, 0, 1, 1, 1, 3, 1, 2, 0, input, 0);
    assertThat(input).containsExactly(1f, 5f, 4f);
  }

  @Test
  void im2col_writesZeroPadding() {
    float[] input = {1f, 2f, 3f, 4f};
    float[] cols = new float[4 * 9];
    Arrays.fill(cols, Float.NaN);
    Im2Col.im2col(input, 0, 1, 1, 2, 2, 3, 3, 1, cols, 0);
    // Output pixel (0, 0) sees the padded 3 x 3 window centred on input (0, 0).
    assertThat(Arrays.copyOfRange(cols, 0, 9))
        .containsExactly(0f, 0f, 0f, 0f, 1f, 2f, 0f, 3f, 4f);
  }

  @Test
  void nchwToRows_invertsRowsToNchw() {
    SplittableRandom random = new SplittableRandom(3L);
    float[] nchw = randomArray(random, 2 * 3 * 4 * 5);
    float[] rows = new float[nchw.length];
    float[] back = new float[nchw.length];
    Im2Col.nchwToRows(nchw, 0, 2, 3, 4, 5, rows, 0);
    assertThat(rows[(1 * 20 + 7) * 3 + 2]).isEqualTo(nchw[1 * 60 + 2 * 20 + 7]);
    Im2Col.rowsToNchw(rows, 0, 2, 3, 4, 5, back, 0);
    assertThat(back).containsExactly(nchw);
  }

  @Test
  void outputSize_kernelLargerThanPaddedInput_isRejected() {
    assertThat(Im2Col.outputSize(28, 5, 2)).isEqualTo(28);
    assertThatThrownBy(() -> Im2Col.outputSize(2, 5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kernel 5 does not fit input 2 with padding 1");
    assertThatThrownBy(() -> Im2Col.outputSize(2, 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("padding must be >= 0 but was -1");
  }

  @Test
  void im2col_colsTooShort_isRejected() {
    assertThatThrownBy(() -> Im2Col.im2col(new float[4], 0, 1, 1, 2, 2, 1, 1, 0, new float[3], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cols needs 4 elements from offset 0 but has length 3");
  }

  private static float[] directConvolution(
      float[] input, int inOff, int batch, int channels, int height, int width,
      float[] weights, int outChannels, int kh, int kw, int padding) {
    int outH = height + 2 * padding - kh + 1;
    int outW = width + 2 * padding - kw + 1;
    float[] out = new float[batch * outChannels * outH * outW];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < outChannels; o++) {
        for (int oy = 0; oy < outH; oy++) {
          for (int ox = 0; ox < outW; ox++) {
            double s = 0;
            for (int c = 0; c < channels; c++) {
              for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                  int iy = oy + ky - padding;
                  int ix = ox + kx - padding;
                  if (iy < 0 || iy >= height || ix < 0 || ix >= width) {
                    continue;
                  }
                  s += (double) input[inOff + ((b * channels + c) * height + iy) * width + ix]
                      * weights[((o * channels + c) * kh + ky) * kw + kx];
                }
              }
            }
            out[((b * outChannels + o) * outH + oy) * outW + ox] = (float) s;
          }
        }
      }
    }
    return out;
  }

  private static double dot(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (double) x[i] * y[i];
    }
    return s;
  }

  private static float[] randomArray(SplittableRandom random, int length) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return x;
  }
}
