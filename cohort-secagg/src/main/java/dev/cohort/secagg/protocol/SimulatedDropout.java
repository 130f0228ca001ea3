package dev.cohort.secagg.protocol;

import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.Mod;
import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.Message;
import java.util.Locale;

/**
 * Makes a seeded fraction of clients drop out of each secure-aggregation round at a given stage,
 * for tests and simulations of the protocol's dropout recovery. Whether a client drops in a round
 * is a fixed function of (seed, round, client), so reruns drop the same clients. A dropped client
 * answers that stage with an error and does nothing (it does not train at the masked-input stage);
 * to the server this is the same as a client that vanished. Place it outside {@link SecAggMod}.
 * Immutable and thread-safe.
 */
public record SimulatedDropout(double fraction, Stage stage, long seed) implements Mod {
  /** The stage at which the chosen clients drop. */
  public enum Stage {
    ADVERTISE_KEYS(SecAggPayload.SetupRequest.class),
    SHARE_KEYS(SecAggPayload.ShareKeysRequest.class),
    MASKED_INPUT(SecAggPayload.MaskedInputRequest.class),
    UNMASK(SecAggPayload.UnmaskRequest.class);

    private final Class<?> request;

    Stage(Class<?> request) {
      this.request = request;
    }

    /** Parses a configuration name such as "masked_input" or "masked-input". */
    public static Stage parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown secure-aggregation stage '" + name
            + "'; expected one of advertise_keys, share_keys, masked_input, unmask", e);
      }
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SimulatedDropout {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("dropout fraction must be in [0, 1] but was " + fraction);
    }
    java.util.Objects.requireNonNull(stage, "stage");
  }

  /** Whether {@code client} drops in {@code round}. */
  public boolean drops(String client, int round) {
    long h = seed ^ 0x9E3779B97F4A7C15L * (round + 1);
    for (int i = 0; i < client.length(); i++) {
      h = (h ^ client.charAt(i)) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53 < fraction;
  }

  @Override
  public Message apply(Message request, ClientContext context, Next next) {
    if (stage.request.isInstance(request.payload()) && drops(context.client().value(), context.round())) {
      return request.reply(new ErrorReply("dropped", "simulated dropout at the " + stage.configName() + " stage"));
    }
    return next.proceed(request);
  }

  @Override
  public String toString() {
    return "simulated-dropout(" + fraction + " at " + stage.configName() + ")";
  }
}
