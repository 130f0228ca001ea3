package dev.cohort.store;

/**
 * The process {@link CrashSafetyTest} kills: opens the store at {@code args[0]}, resumes run
 * {@code args[1]} and commits rounds with {@code args[2]}-byte models back to back, printing
 * {@code begin N} before and {@code committed N} after each commit, until it is killed or reaches
 * {@code args[3]} rounds.
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) {
    String url = args[0];
    long runId = Long.parseLong(args[1]);
    int modelBytes = Integer.parseInt(args[2]);
    int maxRounds = Integer.parseInt(args[3]);
    try (RunStore store = RunStore.open(url)) {
      ResumePoint resume = store.resume(runId);
      if (resume.checkpoint().isPresent()) {
        // What a server does on restart: read the model back before going on.
        byte[] model = resume.checkpoint().get().model().toByteArray();
        if (!java.util.Arrays.equals(model, TestPayloads.bytes(resume.checkpointRound(), modelBytes))) {
          throw new IllegalStateException("checkpoint of round " + resume.checkpointRound() + " does not match");
        }
      }
      System.out.println("resumed " + resume.lastRound());
      for (int round = resume.nextRound(); round <= maxRounds; round++) {
        System.out.println("begin " + round);
        store.commitRound(runId, TestPayloads.round(round), TestPayloads.checkpoint(round, modelBytes));
        System.out.println("committed " + round);
      }
    }
  }
}
