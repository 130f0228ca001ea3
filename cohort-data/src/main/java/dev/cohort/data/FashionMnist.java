package dev.cohort.data;

import dev.cohort.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads Fashion-MNIST (Xiao et al. 2017: 70,000 28x28 grey images of clothing, 10 classes) from
 * its four IDX files into a {@link Dataset}.
 *
 * <p>Examples have shape {@code [1, 28, 28]} (one channel, NCHW). By default ({@link
 * Scaling#STANDARDIZED}) pixels are normalised as {@code (x / 255 - 0.2860) / 0.3530} in float
 * arithmetic, the training-set mean and standard deviation, exactly as PyTorch's {@code ToTensor()}
 * followed by {@code Normalize((0.2860,), (0.3530,))}; {@link Scaling#UNIT} gives {@code x / 255}
 * alone, as {@code ToTensor()} does, which is what NIID-Bench and its Flower reproduction train on.
 *
 * <p>Files are looked up under their usual names, {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code
 * t10k-labels-idx1-ubyte}, each either plain or with {@code .gz} (the plain file wins when both
 * exist); compression is detected from the content, not the name. The Debian package {@code
 * dataset-fashion-mnist} installs them in {@link #DEFAULT_DIR}. Stateless and thread-safe.
 */
public final class FashionMnist {
  /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The mean of the training pixels scaled to [0, 1]. */
  public static final float MEAN = 0.2860f;

  /** The standard deviation of the training pixels scaled to [0, 1]. */
  public static final float STD = 0.3530f;

  /** Images are 28 by 28 pixels. */
  public static final int SIDE = 28;

  /** The number of classes. */
  public static final int NUM_CLASSES = 10;

  /** The class names, by label. */
  public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private FashionMnist() {}

  /** How pixel values become inputs. */
  public enum Scaling {
    /** {@code (x / 255 - MEAN) / STD}: zero mean, unit variance over the training set. */
    STANDARDIZED,
    /** {@code x / 255}: inputs in [0, 1], as PyTorch's {@code ToTensor()}. */
    UNIT
  }

  /** Loads {@code split} from {@link #DEFAULT_DIR}. */
  public static Dataset load(Split split) throws IOException {
    return load(DEFAULT_DIR, split);
  }

  /**
   * Loads {@code split} from {@code dir}; the dataset is named "fashion-mnist/train" or
   * "fashion-mnist/test".
   *
   * @throws DatasetNotFoundException if the directory or one of the split's two files is missing
   * @throws MalformedDataException if a file is corrupt or the files do not fit together
   */
  public static Dataset load(Path dir, Split split) throws IOException {
    return load(dir, split, Scaling.STANDARDIZED);
  }

  /** Loads {@code split} from {@code dir} with the given pixel {@code scaling}. */
  public static Dataset load(Path dir, Split split, Scaling scaling) throws IOException {
    String prefix = split == Split.TRAIN ? "train" : "t10k";
    Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
    Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
    IdxArray images = IdxReader.read(imagesFile);
    IdxArray labels = IdxReader.read(labelsFile);
    if (images.type() != IdxType.UNSIGNED_BYTE || images.rank() != 3 || images.dim(1) != SIDE
        || images.dim(2) != SIDE) {
      throw new MalformedDataException(imagesFile, "expected N x 28 x 28 unsigned bytes but found "
          + images.dimsText() + " " + images.type().description() + "s");
    }
    if (labels.type() != IdxType.UNSIGNED_BYTE || labels.rank() != 1) {
      throw new MalformedDataException(labelsFile, "expected N unsigned bytes but found "
          + labels.dimsText() + " " + labels.type().description() + "s");
    }
    if (labels.dim(0) != images.dim(0)) {
      throw new MalformedDataException(labelsFile, "has " + labels.dim(0) + " labels but "
          + imagesFile.getFileName() + " has " + images.dim(0) + " images");
    }
    int[] y = labels.toIntArray();
    for (int i = 0; i < y.length; i++) {
      if (y[i] >= NUM_CLASSES) {
        throw new MalformedDataException(labelsFile,
            "label " + i + " is " + y[i] + ", outside [0, " + NUM_CLASSES + ")");
      }
    }
    return Dataset.classification("fashion-mnist/" + split, Shape.of(1, SIDE, SIDE),
        scale(images.payload(), scaling), y, NUM_CLASSES);
  }

  /** Whether both files of both splits are present in {@code dir}. */
  public static boolean isInstalled(Path dir) {
    for (String base : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      if (!Files.isRegularFile(dir.resolve(base)) && !Files.isRegularFile(dir.resolve(base + ".gz"))) {
        return false;
      }
    }
    return true;
  }

  private static float[] scale(byte[] pixels, Scaling scaling) {
    float[] table = new float[256];
    for (int v = 0; v < 256; v++) {
      table[v] = scaling == Scaling.UNIT ? v / 255f : (v / 255f - MEAN) / STD;
    }
    float[] out = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = table[pixels[i] & 0xFF];
    }
    return out;
  }

  private static Path find(Path dir, String base) throws DatasetNotFoundException {
    Path plain = dir.resolve(base);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    String where = Files.isDirectory(dir) ? dir + " (no " + base + ".gz or " + base + ")" : dir.toString();
    throw new DatasetNotFoundException("Fashion-MNIST", dir, "Fashion-MNIST not found in " + where
        + ": install it with `sudo apt-get install dataset-fashion-mnist` or set [data] path");
  }
}
