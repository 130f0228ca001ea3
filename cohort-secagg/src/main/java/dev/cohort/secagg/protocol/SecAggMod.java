package dev.cohort.secagg.protocol;

import dev.cohort.core.client.ClientContext;
import dev.cohort.core.client.Mod;
import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.round.FitChecks;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInputRequest;
import dev.cohort.secagg.protocol.SecAggPayload.SetupRequest;
import dev.cohort.secagg.protocol.SecAggPayload.ShareKeysRequest;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskRequest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client half of secure aggregation: answers the stages of {@link SecureFitProtocol} with a
 * {@link SecAggClient} per client and round, passing the fit instruction of the masked-input stage
 * down the chain (so the app and inner mods train as usual) and masking the update that comes back.
 * Messages of other kinds pass through untouched. A message out of stage or failing a check is
 * answered with an {@link ErrorReply} and changes nothing. One instance serves any number of
 * clients (it keeps one state per client, dropped when the round ends or a new one starts).
 * Thread-safe for different clients; one client's stages arrive one at a time.
 */
public final class SecAggMod implements Mod {
  /** Metric a client reports with its masked input: seconds spent encoding and masking it. */
  public static final String MASK_SECONDS = "secagg.mask_seconds";
  /** Metric a client reports with its masked input: seconds spent training. */
  public static final String TRAIN_SECONDS = "secagg.train_seconds";
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private record Session(int round, SecAggClient client) {}

  @Override
  public Message apply(Message request, ClientContext context, Next next) {
    String key = context.runId() + "/" + context.client().value();
    try {
      return switch (request.payload()) {
        case SetupRequest setup -> start(key, request, setup, context);
        case ShareKeysRequest share -> request.reply(session(key, context).shareKeys(share));
        case MaskedInputRequest masked -> maskedInput(key, request, masked, context, next);
        case UnmaskRequest unmask -> {
          SecAggClient client = session(key, context);
          sessions.remove(key);
          yield request.reply(client.unmask(unmask));
        }
        default -> next.proceed(request);
      };
    } catch (ProtocolException e) {
      return request.reply(new ErrorReply("secagg", e.getMessage()));
    }
  }

  private Message start(String key, Message request, SetupRequest setup, ClientContext context) {
    SecAggClient client = SecAggClient.start(context.round(), setup, random);
    sessions.put(key, new Session(context.round(), client));
    return request.reply(client.advertisedKeys());
  }

  /** Trains on the request's fit instruction, then masks the update; any failure ends the session. */
  private Message maskedInput(String key, Message request, MaskedInputRequest masked, ClientContext context,
      Next next) {
    SecAggClient client = session(key, context);
    long trainStart = System.nanoTime();
    Message fitReply = next.proceed(new Message(request.header(), masked.fit()));
    long trainEnd = System.nanoTime();
    if (!(fitReply.payload() instanceof FitResult fit)) {
      sessions.remove(key);
      return fitReply.payload() instanceof ErrorReply ? request.reply(fitReply.payload())
          : request.reply(new ErrorReply("secagg", "training returned "
              + fitReply.payload().getClass().getSimpleName() + ", not a fit result"));
    }
    String problem = FitChecks.updateProblem(masked.fit().global(), fit);
    if (problem != null) {
      sessions.remove(key);
      return request.reply(new ErrorReply("secagg", "refusing to send an unusable update: " + problem));
    }
    SecAggPayload.MaskedInput input = client.maskInput(masked, fit, random);
    double maskSeconds = (System.nanoTime() - trainEnd) / 1e9;
    return request.reply(new SecAggPayload.MaskedInput(input.vector(), input.metrics()
        .with(MASK_SECONDS, maskSeconds).with(TRAIN_SECONDS, (trainEnd - trainStart) / 1e9)));
  }

  private SecAggClient session(String key, ClientContext context) {
    Session s = sessions.get(key);
    if (s == null || s.round() != context.round()) {
      throw new ProtocolException("no secure-aggregation round " + context.round() + " is under way for "
          + context.client());
    }
    return s.client();
  }

  @Override
  public String toString() {
    return "secagg";
  }
}
