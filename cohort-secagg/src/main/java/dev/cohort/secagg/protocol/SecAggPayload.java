package dev.cohort.secagg.protocol;

import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.Payload;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The messages of one secure-aggregation round (Bonawitz et al., CCS 2017; SecAgg+, Bell et al.,
 * CCS 2020), in stage order: setup and key advertisement, key sharing, masked input collection
 * and unmasking. Clients are named by their index in the round's cohort (1..n), which is also
 * how the server routes what one client sends to another. Every record validates its own shape;
 * what depends on the round (which indices are neighbours, lengths of vectors) is checked by the
 * state machines.
 */
public sealed interface SecAggPayload extends Payload {

  /** Stage 0, server to client: the round's parameters; the client answers with {@link KeysAdvertised}. */
  record SetupRequest(int index, int cohortSize, int[] neighbours, int shareThreshold, EncodingSpec encoding)
      implements SecAggPayload {
    public SetupRequest {
      if (index < 1 || index > cohortSize) {
        throw new IllegalArgumentException("index must be in [1, " + cohortSize + "] but was " + index);
      }
      neighbours = neighbours.clone();
      if (shareThreshold < 1 || shareThreshold > neighbours.length + 1) {
        throw new IllegalArgumentException("shareThreshold must be in [1, " + (neighbours.length + 1)
            + "] but was " + shareThreshold);
      }
      Objects.requireNonNull(encoding, "encoding");
    }

    @Override
    public int[] neighbours() {
      return neighbours.clone();
    }
  }

  /** Stage 0 reply: the client's two X25519 public keys, for share encryption and for masking. */
  record KeysAdvertised(byte[] encryptionKey, byte[] maskingKey) implements SecAggPayload {
    public KeysAdvertised {
      encryptionKey = encryptionKey.clone();
      maskingKey = maskingKey.clone();
    }

    @Override
    public byte[] encryptionKey() {
      return encryptionKey.clone();
    }

    @Override
    public byte[] maskingKey() {
      return maskingKey.clone();
    }
  }

  /** Stage 1, server to client: the advertised keys of the client's neighbours that are still in. */
  record ShareKeysRequest(Map<Integer, KeysAdvertised> peers) implements SecAggPayload {
    public ShareKeysRequest {
      peers = Map.copyOf(peers);
    }
  }

  /**
   * Stage 1 reply: for each neighbour index, the AEAD-sealed shares of this client's self-mask seed
   * and masking key that only that neighbour can open.
   */
  record SharesSent(Map<Integer, byte[]> ciphertexts) implements SecAggPayload {
    public SharesSent {
      ciphertexts = Map.copyOf(ciphertexts);
    }
  }

  /**
   * Stage 2, server to client: train on {@code fit}, then mask the encoded update; {@code ciphertexts}
   * are the shares the client's neighbours sealed for it, keyed by sender index.
   */
  record MaskedInputRequest(FitInstruction fit, Map<Integer, byte[]> ciphertexts) implements SecAggPayload {
    public MaskedInputRequest {
      Objects.requireNonNull(fit, "fit");
      ciphertexts = Map.copyOf(ciphertexts);
    }
  }

  /** Stage 2 reply: the masked, encoded update (modulo 2^32) and the client's training metrics. */
  record MaskedInput(int[] vector, MetricRecord metrics) implements SecAggPayload {
    public MaskedInput {
      vector = Objects.requireNonNull(vector, "vector");
      Objects.requireNonNull(metrics, "metrics");
    }
  }

  /**
   * Stage 3, server to client: which of the client's neighbours sent their masked input
   * ({@code survivors}: reveal their self-mask share) and which dropped after sharing keys
   * ({@code dropped}: reveal their masking-key share). The two must be disjoint.
   */
  record UnmaskRequest(int[] survivors, int[] dropped) implements SecAggPayload {
    public UnmaskRequest {
      survivors = survivors.clone();
      dropped = dropped.clone();
    }

    @Override
    public int[] survivors() {
      return survivors.clone();
    }

    @Override
    public int[] dropped() {
      return dropped.clone();
    }
  }

  /** One Shamir share as revealed in unmasking: its evaluation point and field elements. */
  record ShareValue(int point, long[] values) {
    public ShareValue {
      if (point < 1) {
        throw new IllegalArgumentException("share point must be >= 1 but was " + point);
      }
      values = values.clone();
    }

    @Override
    public long[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShareValue s && s.point == point && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
      return 31 * point + Arrays.hashCode(values);
    }
  }

  /** Stage 3 reply: self-mask shares of survivors and masking-key shares of dropped clients, by owner index. */
  record UnmaskShares(Map<Integer, ShareValue> selfMaskShares, Map<Integer, ShareValue> keyShares)
      implements SecAggPayload {
    public UnmaskShares {
      selfMaskShares = Map.copyOf(selfMaskShares);
      keyShares = Map.copyOf(keyShares);
    }
  }
}
