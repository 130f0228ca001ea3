package dev.cohort.core.client;

import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.Message;
import java.util.List;
import java.util.Objects;

/**
 * Turns request messages into reply messages for one {@link ClientApp}, through a chain of
 * {@link Mod}s (the first mod is outermost). Failures of the app become {@link ErrorReply}
 * messages so that the server always learns why; a misbehaving mod is named in the error.
 * Thread-safe if the app and mods are.
 */
public final class ClientRuntime {
  private final ClientApp app;
  private final List<Mod> mods;

  public ClientRuntime(ClientApp app, List<Mod> mods) {
    this.app = Objects.requireNonNull(app, "app");
    this.mods = List.copyOf(mods);
  }

  /** Handles one request and returns its reply (never null). */
  public Message handle(Message request, ClientContext context) {
    try {
      return proceed(0, request, context);
    } catch (ModContractException e) {
      throw e;
    } catch (RuntimeException e) {
      return request.reply(new ErrorReply(e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
    }
  }

  private Message proceed(int index, Message request, ClientContext context) {
    if (index == mods.size()) {
      return dispatch(request, context);
    }
    Mod mod = mods.get(index);
    int[] calls = {0};
    Message reply = mod.apply(request, context, next -> {
      if (++calls[0] > 1) {
        throw new ModContractException("mod " + mod + " must call proceed() at most once");
      }
      Objects.requireNonNull(next, () -> "mod " + mod + " passed a null request to proceed()");
      return proceed(index + 1, next, context);
    });
    if (reply == null) {
      throw new ModContractException("mod " + mod + " returned null");
    }
    return reply;
  }

  private Message dispatch(Message request, ClientContext context) {
    return switch (request.payload()) {
      case FitInstruction fit -> request.reply(app.fit(fit, context));
      case EvaluateInstruction eval -> request.reply(app.evaluate(eval, context));
      default -> request.reply(new ErrorReply("unsupported",
          "this client cannot handle " + request.payload().getClass().getSimpleName()));
    };
  }

  /** A mod broke the chain's contract: a programming error, not a client failure. */
  public static final class ModContractException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ModContractException(String message) {
      super(message);
    }
  }
}
