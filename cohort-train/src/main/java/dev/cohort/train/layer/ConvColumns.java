package dev.cohort.train.layer;

import java.util.Arrays;

/**
 * The data movement of a stride-1 convolution on NCHW batches, in a channel-major column layout.
 *
 * <p>Columns are a {@code (channels * k * k) x (batch * outH * outW)} row-major matrix: row {@code
 * (c, ky, kx)}, column {@code (b, oy, ox)} holds input {@code [b, c, oy + ky - pad, ox + kx - pad]},
 * or 0 outside the image. Its row stride is {@code batch * outH * outW} for the current batch.
 * Compared with one row per output pixel, this layout turns im2col and col2im into copies of
 * contiguous image-row runs, and the GEMM results ({@code outC x (batch * pixels)}) reach NCHW by
 * block copies rather than element-wise transposes. Example b's columns are the contiguous
 * column range {@code [b * pixels, (b + 1) * pixels)}, so per-example weight gradients are a GEMM
 * over that range. Stateless.
 */
final class ConvColumns {
  private ConvColumns() {}

  /** Fills the columns of examples {@code [from, to)} of a batch of {@code batch}. */
  static void im2col(float[] in, int batch, int from, int to, int channels, int h, int w, int k,
      int pad, int outH, int outW, float[] cols) {
    int pixels = outH * outW;
    int n = batch * pixels;
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int rowBase = ((c * k + ky) * k + kx) * n;
          int ox0 = Math.max(0, pad - kx);
          int ox1 = Math.min(outW, w + pad - kx);
          for (int b = from; b < to; b++) {
            int plane = (b * channels + c) * h * w;
            for (int oy = 0; oy < outH; oy++) {
              int dst = rowBase + b * pixels + oy * outW;
              int iy = oy + ky - pad;
              if (iy < 0 || iy >= h || ox0 >= ox1) {
                Arrays.fill(cols, dst, dst + outW, 0f);
                continue;
              }
              if (ox0 > 0) {
                Arrays.fill(cols, dst, dst + ox0, 0f);
              }
              System.arraycopy(in, plane + iy * w + ox0 + kx - pad, cols, dst + ox0, ox1 - ox0);
              if (ox1 < outW) {
                Arrays.fill(cols, dst + ox1, dst + outW, 0f);
              }
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col} for examples {@code [from, to)}: their part of {@code grad} is
   * zeroed, then every column entry is added back.
   */
  static void col2im(float[] cols, int batch, int from, int to, int channels, int h, int w, int k,
      int pad, int outH, int outW, float[] grad) {
    int pixels = outH * outW;
    int n = batch * pixels;
    Arrays.fill(grad, from * channels * h * w, to * channels * h * w, 0f);
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int rowBase = ((c * k + ky) * k + kx) * n;
          int ox0 = Math.max(0, pad - kx);
          int ox1 = Math.min(outW, w + pad - kx);
          if (ox0 >= ox1) {
            continue;
          }
          for (int b = from; b < to; b++) {
            int plane = (b * channels + c) * h * w;
            for (int oy = 0; oy < outH; oy++) {
              int iy = oy + ky - pad;
              if (iy < 0 || iy >= h) {
                continue;
              }
              int dst = plane + iy * w + kx - pad;
              int src = rowBase + b * pixels + oy * outW;
              for (int ox = ox0; ox < ox1; ox++) {
                grad[dst + ox] += cols[src + ox];
              }
            }
          }
        }
      }
    }
  }

  /**
   * {@code out[b, c, t] = y[c, b * pixels + t] + bias[biasOff + c]} for examples {@code [from,
   * to)}: the GEMM result ({@code channels x (batch * pixels)}) to NCHW, adding the bias.
   */
  static void toNchw(float[] y, int batch, int from, int to, int pixels, int channels,
      float[] bias, int biasOff, float[] out) {
    int n = batch * pixels;
    for (int b = from; b < to; b++) {
      for (int c = 0; c < channels; c++) {
        int dst = (b * channels + c) * pixels;
        int src = c * n + b * pixels;
        float bc = bias[biasOff + c];
        for (int t = 0; t < pixels; t++) {
          out[dst + t] = y[src + t] + bc;
        }
      }
    }
  }

  /** {@code g[c, b * pixels + t] = grad[b, c, t]} for examples {@code [from, to)}. */
  static void fromNchw(float[] grad, int batch, int from, int to, int channels, int pixels,
      float[] g) {
    int n = batch * pixels;
    for (int b = from; b < to; b++) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(grad, (b * channels + c) * pixels, g, c * n + b * pixels, pixels);
      }
    }
  }
}
