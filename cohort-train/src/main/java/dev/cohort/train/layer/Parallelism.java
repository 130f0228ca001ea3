package dev.cohort.train.layer;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * How many threads a layer may split one operation over: its forward pass by examples, its
 * weight gradient by output rows. Each part calls the matrix multiply on its own sub-problem, so
 * this is meant for single-threaded kernels ({@code Kernels.setIntraOpThreads(1)}); combining it
 * with multi-threaded kernels oversubscribes the cores.
 *
 * <p>The calling thread runs part 0 and then any part that no worker has started, so an operation
 * completes even when the workers are busy (other models, other processes) and never waits on a
 * descheduled worker that has not begun. The partition depends only on the sizes and the thread
 * count, so results are the same bit for bit from run to run for a given thread count. Workers
 * are shared daemon threads (as many as the largest thread count asked for, minus one), idle ones
 * expire after a minute. Thread-safe.
 */
public final class Parallelism {
  /** Everything on the calling thread. */
  public static final Parallelism SERIAL = new Parallelism(1);

  /** Work (multiply-adds) below which an operation is not split: a hand-off costs microseconds. */
  static final long MIN_SPLIT_WORK = 1L << 21;

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static final ThreadPoolExecutor WORKERS = new ThreadPoolExecutor(1, 1, 60,
      TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
        Thread t = new Thread(task, "cohort-train-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  static {
    WORKERS.allowCoreThreadTimeOut(true);
  }

  private final int threads;

  private Parallelism(int threads) {
    this.threads = threads;
  }

  /**
   * Up to {@code threads} threads per operation, the caller included.
   *
   * @throws IllegalArgumentException if {@code threads} is not in {@code [1, 64]}
   */
  public static Parallelism of(int threads) {
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads must be in [1, 64] but was " + threads);
    }
    if (threads == 1) {
      return SERIAL;
    }
    synchronized (WORKERS) {
      if (WORKERS.getMaximumPoolSize() < threads - 1) {
        WORKERS.setMaximumPoolSize(threads - 1);
        WORKERS.setCorePoolSize(threads - 1);
      }
    }
    return new Parallelism(threads);
  }

  /** The most threads one operation uses. */
  public int threads() {
    return threads;
  }

  /** How many parts to cut {@code units} independent units of {@code work} multiply-adds into. */
  int parts(int units, long work) {
    if (threads == 1 || work < MIN_SPLIT_WORK) {
      return 1;
    }
    return Math.min(threads, units);
  }

  /** The first unit of part {@code part} when {@code units} are cut into {@code parts}. */
  static int start(int units, int parts, int part) {
    return (int) ((long) units * part / parts);
  }

  /** Runs {@code body.accept(p)} for every part {@code p < parts} and returns when all are done. */
  void run(int parts, IntConsumer body) {
    if (parts == 1) {
      body.accept(0);
      return;
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    FutureTask<Void>[] tasks = new FutureTask[parts];
    for (int p = 1; p < parts; p++) {
      int part = p;
      tasks[p] = new FutureTask<>(() -> body.accept(part), null);
      try {
        WORKERS.execute(tasks[p]);
      } catch (RejectedExecutionException e) {
        // Run below on the caller.
      }
    }
    RuntimeException failure = null;
    try {
      body.accept(0);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (int p = 1; p < parts; p++) {
      tasks[p].run(); // a no-op if a worker has started it
    }
    for (int p = 1; p < parts; p++) {
      try {
        tasks[p].get();
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
            : new IllegalStateException("a layer task failed", e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a layer task", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "Parallelism[" + threads + "]";
  }
}
