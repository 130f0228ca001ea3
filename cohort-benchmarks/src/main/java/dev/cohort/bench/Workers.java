package dev.cohort.bench;

import java.util.function.IntConsumer;

/** Runs the parts of a measured pass on fresh platform threads, one per part, and waits for all. */
final class Workers {
  private Workers() {}

  /**
   * Runs {@code part.accept(p)} for {@code p} in {@code [0, parts)}, each on its own thread, and
   * returns when all have finished (early, with the interrupt flag set, if interrupted).
   */
  static void run(int parts, IntConsumer part) {
    Thread[] workers = new Thread[parts];
    for (int p = 0; p < parts; p++) {
      int index = p;
      workers[p] = Thread.ofPlatform().start(() -> part.accept(index));
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
