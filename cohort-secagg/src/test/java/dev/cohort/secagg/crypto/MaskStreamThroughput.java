package dev.cohort.secagg.crypto;

import java.security.SecureRandom;

/**
 * Measures mask expansion throughput (mask words per second, one reused {@link MaskStream.Expander}, as
 * the protocol uses it) and the JDK's two stream ciphers; not a test.
 *
 * <p>Run after {@code test-compile}: {@code java -cp target/classes:target/test-classes
 * dev.cohort.secagg.crypto.MaskStreamThroughput [words] [masks]}.
 */
public final class MaskStreamThroughput {

  private MaskStreamThroughput() {}

  /** Prints words per second for cold (first mask) and warm (median of the rest) runs. */
  public static void main(String[] args) throws java.security.GeneralSecurityException {
    int words = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int masks = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    SecureRandom random = new SecureRandom();
    int[] target = new int[words];
    byte[] seed = new byte[MaskStream.SEED_BYTES];
    double[] rates = new double[masks];
    MaskStream.Expander expander = new MaskStream.Expander();
    for (int m = 0; m < masks; m++) {
      random.nextBytes(seed);
      long start = System.nanoTime();
      expander.addMask(target, seed, (m & 1) == 0 ? 1 : -1);
      rates[m] = words / ((System.nanoTime() - start) / 1e9);
    }
    double cold = rates[0];
    java.util.Arrays.sort(rates, 1, masks);
    double median = rates[1 + (masks - 1) / 2];
    System.out.printf("MaskStream.Expander.addMask, %,d words per mask, %d masks:%n", words, masks);
    System.out.printf("  first mask %.1f M words/s (%.2f GB/s of keystream)%n", cold / 1e6,
        cold * 4 / 1e9);
    System.out.printf("  median after it %.1f M words/s (%.2f GB/s of keystream)%n",
        median / 1e6, median * 4 / 1e9);
    System.out.println("  checksum " + target[words / 2]);
    compareCiphers();
  }

  /**
   * The keystream rate of the two stream ciphers the JDK accelerates, alternating in one run (after a
   * warm-up of each): why {@link MaskStream} uses AES-256-CTR rather than ChaCha20.
   */
  private static void compareCiphers() throws java.security.GeneralSecurityException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    byte[] zeros = new byte[MaskStream.CHUNK_BYTES];
    byte[] out = new byte[MaskStream.CHUNK_BYTES];
    String[] names = {"AES/CTR/NoPadding", "ChaCha20"};
    double[][] rates = new double[2][7];
    for (int rep = 0; rep < 7; rep++) {
      for (int c = 0; c < 2; c++) {
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(names[c]);
        if (c == 0) {
          cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
              new javax.crypto.spec.IvParameterSpec(new byte[16]));
        } else {
          cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "ChaCha20"),
              new javax.crypto.spec.ChaCha20ParameterSpec(new byte[12], rep));
        }
        long bytes = 256L << 20;
        long start = System.nanoTime();
        for (long done = 0; done < bytes; done += zeros.length) {
          cipher.update(zeros, 0, zeros.length, out, 0);
        }
        rates[c][rep] = bytes / ((System.nanoTime() - start) / 1e9);
      }
    }
    for (int c = 0; c < 2; c++) {
      double[] warm = java.util.Arrays.copyOfRange(rates[c], 2, 7);
      java.util.Arrays.sort(warm);
      System.out.printf("  keystream %s: %.2f GB/s (median of 5 after 2 warm-up passes of 256 MiB)%n", names[c],
          warm[2] / 1e9);
    }
  }
}
