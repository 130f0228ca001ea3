package dev.cohort.tensor.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A small pool of daemon threads that run the parts of one kernel call in parallel, sized by
 * {@link Kernels#setIntraOpThreads}.
 *
 * <p>The calling thread always runs part 0 and then runs any part that no worker has started yet,
 * so a call finishes even when the workers are busy with other callers, and a call made from a
 * worker runs serially instead of waiting on its own pool. Thread-safe.
 */
final class IntraOpPool {
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final ThreadPoolExecutor executor;

  /** A pool with {@code workers} threads; {@code workers == 0} runs everything on the caller. */
  IntraOpPool(int workers) {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0 but was " + workers);
    }
    this.executor =
        workers == 0
            ? null
            : new ThreadPoolExecutor(
                workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Worker::new);
    if (executor != null) {
      executor.allowCoreThreadTimeOut(true);
    }
  }

  /** Runs {@code part.accept(i)} for every {@code i} in {@code [0, parts)} and waits for all. */
  void run(int parts, IntConsumer part) {
    if (parts == 1 || executor == null || Thread.currentThread() instanceof Worker) {
      for (int i = 0; i < parts; i++) {
        part.accept(i);
      }
      return;
    }
    @SuppressWarnings("unchecked")
    FutureTask<Void>[] tasks = new FutureTask[parts];
    for (int i = 1; i < parts; i++) {
      int index = i;
      tasks[i] = new FutureTask<>(() -> part.accept(index), null);
      try {
        executor.execute(tasks[i]);
      } catch (RejectedExecutionException e) {
        // The pool is being replaced: the caller runs this part below.
      }
    }
    Throwable failure = null;
    try {
      part.accept(0);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (int i = 1; i < parts; i++) {
      tasks[i].run();
    }
    for (int i = 1; i < parts; i++) {
      try {
        tasks[i].get();
      } catch (ExecutionException e) {
        failure = addFailure(failure, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = addFailure(failure, e);
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException("an intra-op task failed", failure);
    }
  }

  /** Stops the workers once their queued parts are done. */
  void shutdown() {
    if (executor != null) {
      executor.shutdown();
    }
  }

  private static Throwable addFailure(Throwable first, Throwable next) {
    if (first == null) {
      return next;
    }
    if (first != next) {
      first.addSuppressed(next);
    }
    return first;
  }

  private static final class Worker extends Thread {
    Worker(Runnable task) {
      super(task, "cohort-intra-op-" + THREAD_IDS.incrementAndGet());
      setDaemon(true);
    }
  }
}
