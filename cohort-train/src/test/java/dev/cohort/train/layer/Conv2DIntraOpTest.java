package dev.cohort.train.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.Shape;
import dev.cohort.tensor.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With several intra-op threads and a serial layer, the convolution also splits its data movement
 * (im2col, col2im, layout changes) over those threads; results must equal the one-thread run bit
 * for bit.
 */
class Conv2DIntraOpTest {
  @AfterEach
  void restoreThreads() {
    Kernels.setIntraOpThreads(1);
  }

  @Test
  void forwardAndBackward_twoIntraOpThreads_matchOneThreadExactly() {
    float[][] one = run(1);
    float[][] two = run(2);
    for (int i = 0; i < one.length; i++) {
      assertThat(two[i]).as("result %d", i).containsExactly(one[i]);
    }
  }

  /** Output, input gradient and summed parameter gradient of the CNN's second convolution. */
  private static float[][] run(int threads) {
    Kernels.setIntraOpThreads(threads);
    int batch = 5;
    Conv2D conv = new Conv2D("conv1", Shape.of(32, 14, 14), 64, 5, 2);
    ParameterLayout.Builder builder = ParameterLayout.builder();
    conv.declareParameters(builder);
    ParameterLayout layout = builder.build();
    float[] params = new float[layout.totalSize()];
    conv.bind(layout, params);
    conv.initialize(new SplittableRandom(3L));
    SplittableRandom random = new SplittableRandom(4L);
    float[] in = random(random, batch * conv.inputShape().size());
    float[] gradOut = random(random, batch * conv.outputShape().size());
    float[] out = new float[gradOut.length];
    float[] gradIn = new float[in.length];
    float[] grads = new float[params.length];
    conv.forward(in, out, batch, true);
    conv.backward(in, out, gradOut, gradIn, batch, new GradientSink.Sum(grads, 0.5f, false));
    return new float[][] {out, gradIn, grads};
  }

  private static float[] random(SplittableRandom random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return x;
  }
}
