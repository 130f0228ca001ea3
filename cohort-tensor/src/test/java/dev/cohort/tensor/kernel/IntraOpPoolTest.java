package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class IntraOpPoolTest {
  @Test
  void run_executesEveryPartOnce() {
    IntraOpPool pool = new IntraOpPool(2);
    try {
      AtomicIntegerArray counts = new AtomicIntegerArray(7);
      pool.run(7, counts::incrementAndGet);
      for (int i = 0; i < 7; i++) {
        assertThat(counts.get(i)).isEqualTo(1);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void run_withoutWorkers_runsOnCaller() {
    IntraOpPool pool = new IntraOpPool(0);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    pool.run(3, part -> threads.add(Thread.currentThread()));
    assertThat(threads).containsExactly(Thread.currentThread());
  }

  @Test
  void run_propagatesAFailingPart() {
    IntraOpPool pool = new IntraOpPool(1);
    try {
      assertThatThrownBy(() -> pool.run(2, part -> {
        if (part == 1) {
          throw new IllegalStateException("part 1 failed");
        }
      })).isInstanceOf(IllegalStateException.class).hasMessage("part 1 failed");
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void run_nestedInsideAWorker_completes() {
    IntraOpPool pool = new IntraOpPool(1);
    try {
      AtomicIntegerArray counts = new AtomicIntegerArray(4);
      pool.run(2, outer -> pool.run(2, inner -> counts.incrementAndGet(outer * 2 + inner)));
      for (int i = 0; i < 4; i++) {
        assertThat(counts.get(i)).isEqualTo(1);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void run_afterShutdown_stillCompletesOnCaller() {
    IntraOpPool pool = new IntraOpPool(1);
    pool.shutdown();
    AtomicIntegerArray counts = new AtomicIntegerArray(3);
    pool.run(3, counts::incrementAndGet);
    assertThat(counts.get(2)).isEqualTo(1);
  }

  @Test
  void run_severalFailingParts_throwsOneWithTheOthersSuppressed_afterEveryPartRan() {
    IntraOpPool pool = new IntraOpPool(1);
    try {
      AtomicInteger ran = new AtomicInteger();
      assertThatThrownBy(() -> pool.run(4, part -> {
        ran.incrementAndGet();
        if (part % 2 == 1) {
          throw new IllegalArgumentException("part " + part);
        }
      })).isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
      assertThat(ran.get()).isEqualTo(4);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void idleWorker_parks_andIsWokenForTheNextCall() throws Exception {
    IntraOpPool pool = new IntraOpPool(1);
    try {
      Thread worker = runOnBothThreads(pool).stream()
          .filter(t -> t != Thread.currentThread()).findFirst().orElseThrow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (worker.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(worker.getState()).as("idle worker state").isEqualTo(Thread.State.WAITING);
      assertThat(runOnBothThreads(pool)).containsExactlyInAnyOrder(Thread.currentThread(), worker);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void run_concurrentCallers_eachRunEveryPartOnce() throws InterruptedException {
    IntraOpPool pool = new IntraOpPool(1);
    try {
      AtomicIntegerArray counts = new AtomicIntegerArray(4 * 5);
      Thread[] callers = new Thread[4];
      for (int t = 0; t < callers.length; t++) {
        int caller = t;
        callers[t] = Thread.ofPlatform().start(() -> {
          for (int call = 0; call < 500; call++) {
            pool.run(5, part -> counts.incrementAndGet(caller * 5 + part));
          }
        });
      }
      for (Thread caller : callers) {
        caller.join();
      }
      for (int i = 0; i < counts.length(); i++) {
        assertThat(counts.get(i)).as("caller %d part %d", i / 5, i % 5).isEqualTo(500);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void poolThatParksAtOnce_stillRunsPartsOnItsWorker() {
    IntraOpPool pool = new IntraOpPool(1, 0);
    try {
      for (int call = 0; call < 3; call++) {
        assertThat(runOnBothThreads(pool)).hasSize(2).contains(Thread.currentThread());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void constructor_negativeSpin_isRejected() {
    assertThatThrownBy(() -> new IntraOpPool(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spinNanos must be >= 0 but was -1");
  }

  @Test
  void constructor_negativeWorkers_isRejected() {
    assertThatThrownBy(() -> new IntraOpPool(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be >= 0 but was -1");
  }

  /**
   * Runs two parts that each wait for the other, so the call completes only if a worker takes
   * one of them alongside the caller; returns the threads that ran them.
   */
  private static Set<Thread> runOnBothThreads(IntraOpPool pool) {
    CyclicBarrier both = new CyclicBarrier(2);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    pool.run(2, part -> {
      threads.add(Thread.currentThread());
      try {
        both.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException("no worker took a part within 10 s", e);
      }
    });
    return threads;
  }
}
