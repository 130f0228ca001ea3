package dev.cohort.train.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvColumnsTest {
  /** {channels, h, w, k, pad}: rows narrower and wider than a vector, padding beyond the kernel. */
  private static final int[][] SHAPES = {
      {1, 28, 28, 5, 2}, {3, 14, 14, 5, 2}, {2, 7, 9, 3, 0}, {2, 5, 40, 3, 1}, {1, 4, 4, 3, 3},
      {2, 17, 33, 1, 0}, {1, 3, 3, 5, 1}};

  @Test
  void im2col_matchesTheDefinition_forEveryExampleRange() {
    SplittableRandom random = new SplittableRandom(5L);
    for (int[] s : SHAPES) {
      int channels = s[0], h = s[1], w = s[2], k = s[3], pad = s[4];
      int outH = h + 2 * pad - k + 1;
      int outW = w + 2 * pad - k + 1;
      int batch = 3;
      float[] in = random(random, batch * channels * h * w);
      float[] expected = new float[channels * k * k * batch * outH * outW];
      referenceIm2col(in, batch, channels, h, w, k, pad, outH, outW, expected);
      float[] cols = new float[expected.length];
      Arrays.fill(cols, Float.NaN);
      ConvColumns.im2col(in, batch, 0, 1, channels, h, w, k, pad, outH, outW, cols);
      ConvColumns.im2col(in, batch, 1, batch, channels, h, w, k, pad, outH, outW, cols);
      assertThat(cols).as("shape %s", Arrays.toString(s)).containsExactly(expected);
    }
  }

  @Test
  void col2im_matchesTheDefinition_forEveryExampleRange() {
    SplittableRandom random = new SplittableRandom(6L);
    for (int[] s : SHAPES) {
      int channels = s[0], h = s[1], w = s[2], k = s[3], pad = s[4];
      int outH = h + 2 * pad - k + 1;
      int outW = w + 2 * pad - k + 1;
      int batch = 3;
      float[] cols = random(random, channels * k * k * batch * outH * outW);
      float[] expected = new float[batch * channels * h * w];
      referenceCol2im(cols, batch, channels, h, w, k, pad, outH, outW, expected);
      float[] grad = random(random, expected.length);
      ConvColumns.col2im(cols, batch, 0, 2, channels, h, w, k, pad, outH, outW, grad);
      ConvColumns.col2im(cols, batch, 2, batch, channels, h, w, k, pad, outH, outW, grad);
      assertThat(grad).as("shape %s", Arrays.toString(s)).containsExactly(expected);
    }
  }

  private static void referenceIm2col(float[] in, int batch, int channels, int h, int w, int k,
      int pad, int outH, int outW, float[] cols) {
    int n = batch * outH * outW;
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = (c * k + ky) * k + kx;
          for (int b = 0; b < batch; b++) {
            for (int oy = 0; oy < outH; oy++) {
              for (int ox = 0; ox < outW; ox++) {
                int iy = oy + ky - pad;
                int ix = ox + kx - pad;
                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                cols[row * n + (b * outH + oy) * outW + ox] =
                    inside ? in[((b * channels + c) * h + iy) * w + ix] : 0f;
              }
            }
          }
        }
      }
    }
  }

  /** The same additions in the same order as the layer, one element at a time. */
  private static void referenceCol2im(float[] cols, int batch, int channels, int h, int w, int k,
      int pad, int outH, int outW, float[] grad) {
    int n = batch * outH * outW;
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = (c * k + ky) * k + kx;
          for (int b = 0; b < batch; b++) {
            for (int oy = 0; oy < outH; oy++) {
              for (int ox = 0; ox < outW; ox++) {
                int iy = oy + ky - pad;
                int ix = ox + kx - pad;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  grad[((b * channels + c) * h + iy) * w + ix] +=
                      cols[row * n + (b * outH + oy) * outW + ox];
                }
              }
            }
          }
        }
      }
    }
  }

  private static float[] random(SplittableRandom random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return x;
  }
}
