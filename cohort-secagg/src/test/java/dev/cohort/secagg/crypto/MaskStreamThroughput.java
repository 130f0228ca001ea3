package dev.cohort.secagg.crypto;

import java.security.SecureRandom;

/**
 * Measures {@link MaskStream#addMask} throughput (mask words per second) once; not a test.
 *
 * <p>Run after {@code test-compile}: {@code java -cp target/classes:target/test-classes
 * dev.cohort.secagg.crypto.MaskStreamThroughput [words] [masks]}.
 */
public final class MaskStreamThroughput {

  private MaskStreamThroughput() {}

  /** Prints words per second for cold (first mask) and warm (median of the rest) runs. */
  public static void main(String[] args) {
    int words = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int masks = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    SecureRandom random = new SecureRandom();
    int[] target = new int[words];
    byte[] seed = new byte[MaskStream.SEED_BYTES];
    double[] rates = new double[masks];
    for (int m = 0; m < masks; m++) {
      random.nextBytes(seed);
      long start = System.nanoTime();
      MaskStream.addMask(target, seed, (m & 1) == 0 ? 1 : -1);
      rates[m] = words / ((System.nanoTime() - start) / 1e9);
    }
    double cold = rates[0];
    java.util.Arrays.sort(rates, 1, masks);
    double median = rates[1 + (masks - 1) / 2];
    System.out.printf("MaskStream.addMask, %,d words per mask, %d masks:%n", words, masks);
    System.out.printf("  first mask %.1f M words/s (%.2f GB/s of keystream)%n", cold / 1e6,
        cold * 4 / 1e9);
    System.out.printf("  median after it %.1f M words/s (%.2f GB/s of keystream)%n",
        median / 1e6, median * 4 / 1e9);
    System.out.println("  checksum " + target[words / 2]);
  }
}
