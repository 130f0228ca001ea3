package dev.cohort.train.layer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

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
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int L = SPECIES.length();

  private ConvColumns() {}

  /**
   * Fills the columns of examples {@code [from, to)} of a batch of {@code batch}. Each run of
   * {@code outW} columns is moved a vector at a time: a masked load from the input row reads the
   * zero padding as inactive lanes, and a masked store keeps the run's end, so no element is
   * written twice and no zero-fill pass is needed.
   */
  static void im2col(float[] in, int batch, int from, int to, int channels, int h, int w, int k,
      int pad, int outH, int outW, float[] cols) {
    int pixels = outH * outW;
    int n = batch * pixels;
    FloatVector zero = FloatVector.zero(SPECIES);
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int rowBase = ((c * k + ky) * k + kx) * n;
          int shift = kx - pad;
          for (int x = 0; x < outW; x += L) {
            VectorMask<Float> run = lanes(0, outW - x);
            VectorMask<Float> read = run.and(lanes(-x - shift, w - x - shift));
            for (int b = from; b < to; b++) {
              int plane = (b * channels + c) * h * w;
              for (int oy = 0; oy < outH; oy++) {
                int dst = rowBase + b * pixels + oy * outW + x;
                int iy = oy + ky - pad;
                FloatVector v = iy >= 0 && iy < h
                    ? FloatVector.fromArray(SPECIES, in, plane + iy * w + x + shift, read)
                    : zero;
                v.intoArray(cols, dst, run);
              }
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col} for examples {@code [from, to)}. Each input row gathers all
   * {@code k * k} column runs that read it in vector registers and is stored once, rather than
   * added to element by element from every run.
   */
  static void col2im(float[] cols, int batch, int from, int to, int channels, int h, int w, int k,
      int pad, int outH, int outW, float[] grad) {
    int pixels = outH * outW;
    int n = batch * pixels;
    for (int b = from; b < to; b++) {
      for (int c = 0; c < channels; c++) {
        int plane = (b * channels + c) * h * w;
        for (int iy = 0; iy < h; iy++) {
          for (int x = 0; x < w; x += L) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int ky = 0; ky < k; ky++) {
              int oy = iy - ky + pad;
              if (oy < 0 || oy >= outH) {
                continue;
              }
              for (int kx = 0; kx < k; kx++) {
                // Lane x + l reads column ox = x + l + pad - kx of the (c, ky, kx) run of row oy.
                int ox = x + pad - kx;
                VectorMask<Float> valid = lanes(-ox, Math.min(outW, w + pad - kx) - ox);
                int src = ((c * k + ky) * k + kx) * n + b * pixels + oy * outW + ox;
                acc = acc.add(FloatVector.fromArray(SPECIES, cols, src, valid));
              }
            }
            acc.intoArray(grad, plane + iy * w + x, lanes(0, w - x));
          }
        }
      }
    }
  }

  /**
   * The lanes {@code l} with {@code lo <= l < hi}, built from a bit pattern: {@code
   * SPECIES.indexInRange} with arbitrary offsets is not compiled to mask instructions and cost more
   * than the copies it guarded.
   */
  private static VectorMask<Float> lanes(int lo, int hi) {
    int from = Math.clamp(lo, 0, L);
    int to = Math.clamp(hi, from, L);
    long bits = ((1L << to) - 1) & -(1L << from);
    return VectorMask.fromLong(SPECIES, bits);
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
