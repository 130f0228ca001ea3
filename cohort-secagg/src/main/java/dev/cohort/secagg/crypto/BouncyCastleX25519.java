package dev.cohort.secagg.crypto;

import org.bouncycastle.math.ec.rfc7748.X25519;

/** X25519 in pure Java through BouncyCastle's lightweight {@link X25519}: always available. */
record BouncyCastleX25519() implements X25519Engine {

  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public void publicKey(byte[] scalar, byte[] out) {
    X25519.generatePublicKey(scalar, 0, out, 0);
  }

  @Override
  public boolean agree(byte[] scalar, byte[] u, byte[] out) {
    return X25519.calculateAgreement(scalar, 0, u, 0, out, 0);
  }
}
