package dev.cohort.core.client;

import dev.cohort.core.ClientId;
import java.util.Objects;

/**
 * What a client knows about the request it is handling besides the payload.
 *
 * @param client this client's id
 * @param runId the federation run
 * @param round the round number (1-based)
 */
public record ClientContext(ClientId client, String runId, int round) {
  public ClientContext {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(runId, "runId");
  }

  /**
   * A seed for this client's local work in this round, mixed from the round's seed (sent by the
   * server in {@code RoundKeys.SEED}) and the client id, so that every client draws differently
   * but reproducibly.
   */
  public long localSeed(long roundSeed) {
    long h = roundSeed ^ 0x9E3779B97F4A7C15L;
    for (int i = 0; i < client.value().length(); i++) {
      h = (h ^ client.value().charAt(i)) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h;
  }
}
