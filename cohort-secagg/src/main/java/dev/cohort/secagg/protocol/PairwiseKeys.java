package dev.cohort.secagg.protocol;

import dev.cohort.secagg.crypto.Aead;
import dev.cohort.secagg.crypto.Hkdf;
import dev.cohort.secagg.crypto.KeyAgreement;
import dev.cohort.secagg.crypto.MaskStream;
import dev.cohort.secagg.crypto.Shamir;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The keys two clients derive from an X25519 agreement, and the layout of the share messages
 * they seal for each other: both sides of the protocol (and the server, when it recovers a
 * dropped client's pairwise masks) derive with exactly these functions.
 */
final class PairwiseKeys {
  private static final byte[] SALT = "cohort secure aggregation v1".getBytes(StandardCharsets.US_ASCII);
  /** Field elements per 32-byte secret. */
  static final int SHARE_WORDS = Shamir.chunkCount(32);
  /** Plaintext of one share message: point, self-mask share, masking-key share. */
  static final int SHARE_PLAINTEXT_BYTES = Integer.BYTES + 2 * SHARE_WORDS * Long.BYTES;
  /** Sealed share message length. */
  static final int SHARE_MESSAGE_BYTES = Aead.NONCE_BYTES + SHARE_PLAINTEXT_BYTES + Aead.TAG_BYTES;

  private PairwiseKeys() {}

  /** The AES key two clients use for the share messages between them. */
  static byte[] shareKey(byte[] ownEncryptionPrivate, byte[] peerEncryptionPublic) {
    byte[] shared = KeyAgreement.agree(ownEncryptionPrivate, peerEncryptionPublic);
    return Hkdf.derive(shared, SALT, "share encryption".getBytes(StandardCharsets.US_ASCII), Aead.KEY_BYTES);
  }

  /** The seed of the pairwise mask between two clients in {@code round} (symmetric in the two). */
  static byte[] maskSeed(byte[] ownMaskingPrivate, byte[] peerMaskingPublic, int round) {
    byte[] shared = KeyAgreement.agree(ownMaskingPrivate, peerMaskingPublic);
    byte[] info = ("pairwise mask, round " + round).getBytes(StandardCharsets.US_ASCII);
    return Hkdf.derive(shared, SALT, info, MaskStream.SEED_BYTES);
  }

  /** The sign with which client {@code own} adds its pairwise mask with {@code peer}. */
  static int sign(int own, int peer) {
    return own < peer ? 1 : -1;
  }

  static byte[] sharePlaintext(int point, long[] selfMaskShare, long[] keyShare) {
    ByteBuffer b = ByteBuffer.allocate(SHARE_PLAINTEXT_BYTES);
    b.putInt(point);
    for (long v : selfMaskShare) {
      b.putLong(v);
    }
    for (long v : keyShare) {
      b.putLong(v);
    }
    return b.array();
  }

  /** A share message's contents: the receiver's evaluation point and its two shares. */
  record ShareMessage(int point, long[] selfMaskShare, long[] keyShare) {
    static ShareMessage parse(byte[] plaintext) {
      if (plaintext.length != SHARE_PLAINTEXT_BYTES) {
        throw new ProtocolException("a share message has " + plaintext.length + " bytes, not "
            + SHARE_PLAINTEXT_BYTES);
      }
      ByteBuffer b = ByteBuffer.wrap(plaintext);
      int point = b.getInt();
      long[] self = new long[SHARE_WORDS];
      long[] key = new long[SHARE_WORDS];
      for (int i = 0; i < SHARE_WORDS; i++) {
        self[i] = b.getLong();
      }
      for (int i = 0; i < SHARE_WORDS; i++) {
        key[i] = b.getLong();
      }
      return new ShareMessage(point, self, key);
    }
  }
}
