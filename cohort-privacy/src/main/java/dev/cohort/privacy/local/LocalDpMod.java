package dev.cohort.privacy.local;

import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.Mod;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.privacy.noise.GaussianNoise;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.kernel.VectorOps;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Local differential privacy for a data holder's update: before the update leaves the client it
 * is clipped to L2 norm {@code clip} and Gaussian noise of standard deviation
 * {@code noiseMultiplier * clip} is added to every coordinate, so the server and everyone after it
 * see only a Gaussian-mechanism release of the holder's whole dataset (the unit of privacy is the
 * holder). Each round a holder takes part in is one such release; no amplification by sampling
 * applies, since the server knows who took part. Stateless and thread-safe if the generator
 * supplier is.
 */
public final class LocalDpMod implements Mod {
  private final double clip;
  private final double noiseMultiplier;
  private final Supplier<RandomGenerator> rngs;

  /**
   * @param clip the L2 clipping norm, > 0
   * @param noiseMultiplier noise standard deviation over the clipping norm, > 0
   * @param rngs a source of (secure) generators, one per update
   */
  public LocalDpMod(double clip, double noiseMultiplier, Supplier<RandomGenerator> rngs) {
    if (!(clip > 0) || Double.isInfinite(clip)) {
      throw new IllegalArgumentException("clipping norm must be finite and > 0 but was " + clip);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and > 0 but was " + noiseMultiplier);
    }
    this.clip = clip;
    this.noiseMultiplier = noiseMultiplier;
    this.rngs = Objects.requireNonNull(rngs, "rngs");
  }

  @Override
  public Message apply(Message request, ClientContext context, Next next) {
    Message reply = next.proceed(request);
    if (!(reply.payload() instanceof FitResult fit)) {
      return reply;
    }
    ParameterSet noised = fit.update().copy();
    float[] u = noised.data();
    double norm = Math.sqrt(VectorOps.sumOfSquares(u, 0, u.length));
    if (norm > clip) {
      VectorOps.scale((float) (clip / norm), u, 0, u.length);
    }
    new GaussianNoise(noiseMultiplier * clip, rngs.get()).addTo(u, 0, u.length);
    return new Message(reply.header(), new FitResult(noised, fit.examples(), fit.metrics()));
  }

  @Override
  public String toString() {
    return "LocalDpMod(clip=" + clip + ", z=" + noiseMultiplier + ")";
  }
}
