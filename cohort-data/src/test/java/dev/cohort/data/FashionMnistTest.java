package dev.cohort.data;

import static dev.cohort.data.IdxBytes.gzip;
import static dev.cohort.data.IdxBytes.idx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir Path dir;

  /** Writes {@code n} images whose pixels are all {@code i * 100 % 256} and labels {@code labels}. */
  private void writeSplit(String prefix, int[] labels, boolean gz) throws IOException {
    int n = labels.length;
    byte[] pixels = new byte[n * 28 * 28];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 28 * 28; p++) {
        pixels[i * 784 + p] = (byte) (i * 100 % 256);
      }
    }
    pixels[783] = (byte) 255; // last pixel of the first image
    byte[] y = new byte[n];
    for (int i = 0; i < n; i++) {
      y[i] = (byte) labels[i];
    }
    byte[] images = idx(0x08, new int[] {n, 28, 28}, pixels);
    byte[] lab = idx(0x08, new int[] {n}, y);
    String suffix = gz ? ".gz" : "";
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gz ? gzip(images) : images);
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gz ? gzip(lab) : lab);
  }

  @Test
  void load_gzippedFiles_shapesLabelsAndNormalisation() throws IOException {
    writeSplit("train", new int[] {9, 0, 3}, true);
    Dataset d = FashionMnist.load(dir, Split.TRAIN);
    assertThat(d.name()).isEqualTo("fashion-mnist/train");
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.exampleShape()).isEqualTo(Shape.of(1, 28, 28));
    assertThat(d.numClasses()).isEqualTo(10);
    assertThat(d.labels()).containsExactly(9, 0, 3);
    float[] x = new float[3 * 784];
    d.copyBatch(new int[] {0, 1, 2}, 0, 3, x, new int[3]);
    assertThat(x[0]).isCloseTo((0f - 0.2860f) / 0.3530f, within(1e-6f));
    assertThat(x[783]).isCloseTo((1f - 0.2860f) / 0.3530f, within(1e-6f));
    assertThat(x[784]).isCloseTo((100 / 255f - 0.2860f) / 0.3530f, within(1e-6f));
  }

  @Test
  void load_unitScaling_pixelsOver255AsToTensor() throws IOException {
    writeSplit("train", new int[] {9, 0, 3}, true);
    Dataset d = FashionMnist.load(dir, Split.TRAIN, FashionMnist.Scaling.UNIT);
    float[] x = new float[3 * 784];
    d.copyBatch(new int[] {0, 1, 2}, 0, 3, x, new int[3]);
    assertThat(x[0]).isZero();
    assertThat(x[783]).isEqualTo(1f);
    assertThat(x[784]).isEqualTo(100 / 255f);
    assertThat(x[2 * 784]).isEqualTo(200 / 255f);
  }

  @Test
  void load_uncompressedNames_testSplit() throws IOException {
    writeSplit("t10k", new int[] {1, 2}, false);
    Dataset d = FashionMnist.load(dir, Split.TEST);
    assertThat(d.name()).isEqualTo("fashion-mnist/test");
    assertThat(d.labels()).containsExactly(1, 2);
  }

  @Test
  void load_missingDirectory_messageSaysHowToInstall() {
    Path missing = dir.resolve("fashion-mnist");
    assertThatThrownBy(() -> FashionMnist.load(missing, Split.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessage("Fashion-MNIST not found in " + missing
            + ": install it with `sudo apt-get install dataset-fashion-mnist` or set [data] path");
  }

  @Test
  void load_missingOneFile_namesItAndSaysHowToInstall() throws IOException {
    writeSplit("train", new int[] {1}, true);
    Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
    assertThatThrownBy(() -> FashionMnist.load(dir, Split.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("no train-labels-idx1-ubyte.gz or train-labels-idx1-ubyte")
        .hasMessageContaining("sudo apt-get install dataset-fashion-mnist");
  }

  @Test
  void load_labelCountMismatch_namesBothFiles() throws IOException {
    writeSplit("train", new int[] {1, 2}, false);
    Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> FashionMnist.load(dir, Split.TRAIN))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("train-labels-idx1-ubyte: has 3 labels but train-images-idx3-ubyte has 2 images");
  }

  @Test
  void load_wrongImageSize_rejected() throws IOException {
    writeSplit("train", new int[] {1}, false);
    Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new int[] {1, 32, 32}, new byte[1024]));
    assertThatThrownBy(() -> FashionMnist.load(dir, Split.TRAIN))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("expected N x 28 x 28 unsigned bytes but found 1 x 32 x 32");
  }

  @Test
  void load_labelOutOfRange_rejected() throws IOException {
    writeSplit("train", new int[] {1, 10}, false);
    assertThatThrownBy(() -> FashionMnist.load(dir, Split.TRAIN))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("label 1 is 10, outside [0, 10)");
  }

  @Test
  void isInstalled_needsAllFourFiles() throws IOException {
    writeSplit("train", new int[] {1}, true);
    assertThat(FashionMnist.isInstalled(dir)).isFalse();
    writeSplit("t10k", new int[] {1}, false);
    assertThat(FashionMnist.isInstalled(dir)).isTrue();
  }

  /* --- the real dataset, when installed --- */

  @Test
  void load_installedTrainSplit_matchesKnownStatistics() throws IOException {
    assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
    Dataset d = FashionMnist.load(Split.TRAIN);
    assertThat(d.size()).isEqualTo(60_000);
    assertThat(d.labelHistogram()).containsOnly(6000);
    assertThat(d.label(0)).isEqualTo(9); // the first training image is an ankle boot
    int n = 1000;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i * 60;
    }
    float[] x = new float[n * 784];
    d.copyBatch(order, 0, n, x, new int[n]);
    double sum = 0;
    double sq = 0;
    for (float v : x) {
      sum += v;
      sq += v * v;
    }
    double mean = sum / x.length;
    double std = Math.sqrt(sq / x.length - mean * mean);
    // normalised with the training mean and std: a 1000-image sample is close to 0 and 1
    assertThat(mean).isCloseTo(0, within(0.05));
    assertThat(std).isCloseTo(1, within(0.05));
  }

  @Test
  void load_installedTestSplit_hasTenThousandBalancedExamples() throws IOException {
    assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
    Dataset d = FashionMnist.load(Split.TEST);
    assertThat(d.size()).isEqualTo(10_000);
    assertThat(d.labelHistogram()).containsOnly(1000);
  }

  @Test
  void split_parse() {
    assertThat(Split.parse(" Train ")).isEqualTo(Split.TRAIN);
    assertThat(Split.parse("test")).isEqualTo(Split.TEST);
    assertThatThrownBy(() -> Split.parse("validation")).hasMessageContaining("'validation'");
  }
}
