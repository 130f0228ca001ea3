package dev.cohort.core.round;

import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.tensor.ParameterSet;

/** The checks every protocol applies to replies and updates, with messages naming the problem. */
public final class FitChecks {
  private FitChecks() {}

  /**
   * Why {@code reply} does not answer {@code request} in {@code round}, or null if it does: it
   * must name the request, the round and the client the request went to.
   */
  public static String replyProblem(Message request, Message reply, int round) {
    if (reply.header().replyTo() != request.header().messageId() || reply.header().round() != round) {
      return "reply is for message " + reply.header().replyTo() + " of round " + reply.header().round()
          + ", not message " + request.header().messageId() + " of round " + round;
    }
    if (!reply.header().client().equals(request.header().client())) {
      return "reply claims to come from " + reply.header().client() + ", not " + request.header().client();
    }
    if (reply.payload() instanceof ErrorReply e) {
      return e.code() + ": " + e.reason();
    }
    return null;
  }

  /** Why {@code fit} is not a usable update of {@code global}, or null if it is. */
  public static String updateProblem(ParameterSet global, FitResult fit) {
    if (!fit.update().layout().equals(global.layout())) {
      try {
        global.layout().checkCompatible(fit.update().layout(), "update");
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    int bad = fit.update().firstNonFinite();
    if (bad >= 0) {
      return "update has a non-finite value (" + fit.update().data()[bad] + ") in " + fit.update().nameAt(bad);
    }
    if (fit.examples() <= 0) {
      return "update claims " + fit.examples() + " training examples";
    }
    return null;
  }
}
