package dev.cohort.tensor.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A small set of daemon threads that run the parts of one kernel call in parallel, sized by
 * {@link Kernels#setIntraOpThreads}.
 *
 * <p>A training step makes a kernel call every 10-50 microseconds, and waking a parked thread
 * costs about as much on a virtual machine, so a worker that has just finished a part keeps
 * polling for the next call for a while ({@link #SPIN_NANOS} by default) before it parks; while
 * polling it yields the core now and then to any other thread that is ready to run. A call hands
 * its parts over through one shared slot: the caller and the workers take parts from a counter,
 * so the caller runs every part that no worker has taken, and a call finishes even when the
 * workers are busy or descheduled. When the slot is taken by another caller's call, or the call
 * comes from a worker, its parts run on the calling thread. Which part does what depends only on
 * the part index, never on the thread that runs it. Thread-safe.
 */
final class IntraOpPool {
  /**
   * How long an idle worker polls before it parks: longer than the gap between the kernel calls
   * of a training step (batching and the loss take about 40 microseconds), short enough that an
   * idle pool costs nothing measurable.
   */
  static final long SPIN_NANOS = 200_000;

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final Worker[] workers;
  private final long spinNanos;
  private final AtomicReference<Job> slot = new AtomicReference<>();
  private volatile boolean shutdown;

  /** A pool with {@code workers} threads; {@code workers == 0} runs everything on the caller. */
  IntraOpPool(int workers) {
    this(workers, SPIN_NANOS);
  }

  /**
   * A pool whose idle workers poll for {@code spinNanos} before parking; 0 parks at once, for
   * when other threads (OpenBLAS's own) need the cores between calls.
   */
  IntraOpPool(int workers, long spinNanos) {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0 but was " + workers);
    }
    if (spinNanos < 0) {
      throw new IllegalArgumentException("spinNanos must be >= 0 but was " + spinNanos);
    }
    this.spinNanos = spinNanos;
    this.workers = new Worker[workers];
    for (int i = 0; i < workers; i++) {
      this.workers[i] = new Worker(this);
      this.workers[i].start();
    }
  }

  /** Runs {@code part.accept(i)} for every {@code i} in {@code [0, parts)} and waits for all. */
  void run(int parts, IntConsumer part) {
    Job job = new Job(parts, part);
    if (parts == 1 || workers.length == 0 || Thread.currentThread() instanceof Worker
        || shutdown || !slot.compareAndSet(null, job)) {
      job.runParts();
      job.rethrow();
      return;
    }
    try {
      for (Worker w : workers) {
        if (w.parked) {
          LockSupport.unpark(w);
        }
      }
      job.runParts();
      job.awaitDone();
    } finally {
      slot.set(null);
    }
    job.rethrow();
  }

  /** Stops the workers; calls made afterwards run on their callers. */
  void shutdown() {
    shutdown = true;
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
  }

  /** One call: its parts are taken from {@link #next} by whichever thread gets there first. */
  private static final class Job {
    private final int parts;
    private final IntConsumer part;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(int parts, IntConsumer part) {
      this.parts = parts;
      this.part = part;
    }

    boolean hasWork() {
      return next.get() < parts;
    }

    /** Takes and runs parts until none is left. */
    void runParts() {
      for (int i = next.getAndIncrement(); i < parts; i = next.getAndIncrement()) {
        try {
          part.accept(i);
        } catch (RuntimeException | Error e) {
          Throwable first = failure.compareAndExchange(null, e);
          if (first != null && first != e) {
            first.addSuppressed(e);
          }
        } finally {
          done.incrementAndGet();
        }
      }
    }

    /** Waits for parts that workers took and are still running. */
    void awaitDone() {
      for (int spins = 0; done.get() < parts; spins++) {
        if (spins < 10_000) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }

    void rethrow() {
      Throwable t = failure.get();
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error err) {
        throw err;
      }
    }
  }

  private static final class Worker extends Thread {
    private final IntraOpPool pool;
    volatile boolean parked;

    Worker(IntraOpPool pool) {
      super("cohort-intra-op-" + THREAD_IDS.incrementAndGet());
      this.pool = pool;
      setDaemon(true);
    }

    @Override
    public void run() {
      long idleSince = System.nanoTime();
      for (int spins = 0; !pool.shutdown; spins++) {
        Job job = pool.slot.get();
        if (job != null && job.hasWork()) {
          job.runParts();
          idleSince = System.nanoTime();
          spins = 0;
        } else if ((spins & 63) != 0) {
          Thread.onSpinWait();
        } else if (System.nanoTime() - idleSince < pool.spinNanos) {
          // Let any other thread waiting for this core run (DP-SGD draws its noise on one).
          Thread.yield();
        } else {
          parked = true;
          Job again = pool.slot.get();
          if ((again == null || !again.hasWork()) && !pool.shutdown) {
            LockSupport.park(this);
          }
          parked = false;
          idleSince = System.nanoTime();
        }
      }
    }
  }
}
