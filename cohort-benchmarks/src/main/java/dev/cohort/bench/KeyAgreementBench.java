package dev.cohort.bench;

import dev.cohort.secagg.crypto.KeyAgreement;
import java.security.SecureRandom;

/**
 * Times one X25519 agreement with the engine the process uses ({@link KeyAgreement#engine()},
 * chosen by {@code -Dcohort.x25519}): the median over batches of agreements after a warm-up, so
 * a run reports the cost next to the round times it explains.
 */
public final class KeyAgreementBench {
  private KeyAgreementBench() {}

  /** Median microseconds per agreement over {@code batches} batches of 200, after 2 warm-up batches. */
  public static double microsPerAgreement(int batches) {
    SecureRandom random = new SecureRandom();
    KeyAgreement.KeyPair own = KeyAgreement.generateKeyPair(random);
    byte[][] peers = new byte[16][];
    for (int i = 0; i < peers.length; i++) {
      peers[i] = KeyAgreement.generateKeyPair(random).publicKey();
    }
    byte[] privateKey = own.privateKey();
    double[] micros = new double[batches];
    int sink = 0;
    for (int b = -2; b < batches; b++) {
      long start = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        sink += KeyAgreement.agree(privateKey, peers[i & 15])[0];
      }
      if (b >= 0) {
        micros[b] = (System.nanoTime() - start) / 1e3 / 200;
      }
    }
    if (sink == 42_424_242) {
      System.err.print(""); // keeps the agreements observable to the JIT
    }
    return Medians.median(micros);
  }
}
