package dev.cohort.core.client;

import dev.cohort.core.message.Message;

/**
 * A wrapper around a client's message handling: it may transform the request, the reply, or
 * both (clip an update, add local noise, mask it for secure aggregation). Mods are chained by
 * {@link ClientRuntime}, which checks that each calls {@code next} at most once and never
 * returns null.
 */
@FunctionalInterface
public interface Mod {
  /** Handles {@code request}, usually by calling {@code next.proceed(...)} exactly once. */
  Message apply(Message request, ClientContext context, Next next);

  /** The rest of the chain. */
  @FunctionalInterface
  interface Next {
    Message proceed(Message request);
  }
}
