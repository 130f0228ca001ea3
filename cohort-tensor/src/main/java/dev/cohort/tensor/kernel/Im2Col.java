package dev.cohort.tensor.kernel;

import java.util.Arrays;

/**
 * Lowers a 2-D convolution (stride 1, zero padding {@code p}, kernel {@code kh x kw}) on NCHW
 * images to a matrix multiply, and moves results between the row layout of that multiply and NCHW.
 *
 * <p><b>Columns layout.</b> For an input of shape {@code (batch, C, H, W)}, the output size is
 * {@code outH = H + 2p - kh + 1} and {@code outW = W + 2p - kw + 1}. The columns matrix is
 * row-major {@code (batch * outH * outW) x (C * kh * kw)}: row {@code (b * outH + oy) * outW + ox},
 * column {@code (c * kh + ky) * kw + kx} holds {@code input[b][c][oy + ky - p][ox + kx - p]}, or 0
 * where that falls in the padding. With weights {@code W} stored as {@code outC x (C * kh * kw)},
 * the forward pass is {@code out = cols * W^T}, a {@code (batch * outH * outW) x outC} matrix in
 * <em>row layout</em> (one row per output pixel, channels last); {@link #rowsToNchw} turns it into
 * NCHW. Backward: {@code dW = dOut^T * cols}, {@code dCols = dOut * W}, then {@link #col2im}.
 *
 * <p>Arrays are not checked for overlap; shapes and extents are checked ({@link
 * IllegalArgumentException}). Stateless and thread-safe; the arrays are the caller's to guard.
 */
public final class Im2Col {
  private Im2Col() {}

  /**
   * The output size along one axis: {@code input + 2 * padding - kernel + 1}.
   *
   * @throws IllegalArgumentException if a size is not positive, the padding is negative, or the
   *     kernel does not fit the padded input
   */
  public static int outputSize(int input, int kernel, int padding) {
    positive("input", input);
    positive("kernel", kernel);
    if (padding < 0) {
      throw new IllegalArgumentException("padding must be >= 0 but was " + padding);
    }
    int out = input + 2 * padding - kernel + 1;
    if (out < 1) {
      throw new IllegalArgumentException(
          "kernel " + kernel + " does not fit input " + input + " with padding " + padding);
    }
    return out;
  }

  /**
   * Writes the columns matrix (layout in the class comment) of the NCHW {@code input} starting at
   * {@code inOff} into {@code cols} starting at {@code colsOff}. Every element of the columns
   * matrix is written.
   */
  public static void im2col(
      float[] input, int inOff, int batch, int channels, int height, int width,
      int kh, int kw, int padding, float[] cols, int colsOff) {
    int outH = outputSize(height, kh, padding);
    int outW = outputSize(width, kw, padding);
    positive("batch", batch);
    positive("channels", channels);
    extent("input", input, inOff, (long) batch * channels * height * width);
    int rowLength = channels * kh * kw;
    extent("cols", cols, colsOff, (long) batch * outH * outW * rowLength);
    int dst = colsOff;
    for (int b = 0; b < batch; b++) {
      int image = inOff + b * channels * height * width;
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          int x0 = ox - padding;
          int kxFrom = Math.max(0, -x0);
          int kxTo = Math.min(kw, width - x0);
          for (int c = 0; c < channels; c++) {
            int plane = image + c * height * width;
            for (int ky = 0; ky < kh; ky++, dst += kw) {
              int iy = oy + ky - padding;
              if (iy < 0 || iy >= height || kxFrom >= kxTo) {
                Arrays.fill(cols, dst, dst + kw, 0f);
                continue;
              }
              int src = plane + iy * width + x0;
              for (int kx = 0; kx < kxFrom; kx++) {
                cols[dst + kx] = 0f;
              }
              System.arraycopy(input, src + kxFrom, cols, dst + kxFrom, kxTo - kxFrom);
              for (int kx = kxTo; kx < kw; kx++) {
                cols[dst + kx] = 0f;
              }
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col}: overwrites the NCHW {@code input} window with the sum, over
   * every columns entry, of that entry added at the input position it was copied from (padding
   * entries are dropped). This turns the columns gradient into the input gradient.
   */
  public static void col2im(
      float[] cols, int colsOff, int batch, int channels, int height, int width,
      int kh, int kw, int padding, float[] input, int inOff) {
    int outH = outputSize(height, kh, padding);
    int outW = outputSize(width, kw, padding);
    positive("batch", batch);
    positive("channels", channels);
    int imageSize = channels * height * width;
    extent("input", input, inOff, (long) batch * imageSize);
    int rowLength = channels * kh * kw;
    extent("cols", cols, colsOff, (long) batch * outH * outW * rowLength);
    Arrays.fill(input, inOff, inOff + batch * imageSize, 0f);
    int src = colsOff;
    for (int b = 0; b < batch; b++) {
      int image = inOff + b * imageSize;
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          int x0 = ox - padding;
          int kxFrom = Math.max(0, -x0);
          int kxTo = Math.min(kw, width - x0);
          for (int c = 0; c < channels; c++) {
            int plane = image + c * height * width;
            for (int ky = 0; ky < kh; ky++, src += kw) {
              int iy = oy + ky - padding;
              if (iy < 0 || iy >= height) {
                continue;
              }
              int dst = plane + iy * width + x0;
              for (int kx = kxFrom; kx < kxTo; kx++) {
                input[dst + kx] += cols[src + kx];
              }
            }
          }
        }
      }
    }
  }

  /**
   * Converts a row-layout matrix {@code (batch * height * width) x channels} (the output of {@code
   * cols * W^T}) to NCHW {@code (batch, channels, height, width)}.
   */
  public static void rowsToNchw(
      float[] rows, int rowsOff, int batch, int channels, int height, int width,
      float[] out, int outOff) {
    int pixels = checkedPixels(batch, channels, height, width);
    long size = (long) batch * pixels * channels;
    extent("rows", rows, rowsOff, size);
    extent("out", out, outOff, size);
    for (int b = 0; b < batch; b++) {
      int from = rowsOff + b * pixels * channels;
      int to = outOff + b * pixels * channels;
      for (int px = 0; px < pixels; px++) {
        int row = from + px * channels;
        for (int c = 0; c < channels; c++) {
          out[to + c * pixels + px] = rows[row + c];
        }
      }
    }
  }

  /** The inverse of {@link #rowsToNchw}: NCHW to a row-layout {@code (batch * H * W) x C} matrix. */
  public static void nchwToRows(
      float[] nchw, int nchwOff, int batch, int channels, int height, int width,
      float[] rows, int rowsOff) {
    int pixels = checkedPixels(batch, channels, height, width);
    long size = (long) batch * pixels * channels;
    extent("nchw", nchw, nchwOff, size);
    extent("rows", rows, rowsOff, size);
    for (int b = 0; b < batch; b++) {
      int from = nchwOff + b * pixels * channels;
      int to = rowsOff + b * pixels * channels;
      for (int c = 0; c < channels; c++) {
        int plane = from + c * pixels;
        for (int px = 0; px < pixels; px++) {
          rows[to + px * channels + c] = nchw[plane + px];
        }
      }
    }
  }

  private static int checkedPixels(int batch, int channels, int height, int width) {
    positive("batch", batch);
    positive("channels", channels);
    positive("height", height);
    positive("width", width);
    return height * width;
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0 but was " + value);
    }
  }

  private static void extent(String name, float[] array, int off, long size) {
    if (array == null) {
      throw new NullPointerException(name);
    }
    if (off < 0 || off + size > array.length) {
      throw new IllegalArgumentException(
          name + " needs " + size + " elements from offset " + off + " but has length "
              + array.length);
    }
  }
}
