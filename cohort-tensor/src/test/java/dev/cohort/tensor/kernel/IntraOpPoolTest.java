package dev.cohort.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  void constructor_negativeWorkers_isRejected() {
    assertThatThrownBy(() -> new IntraOpPool(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be >= 0 but was -1");
  }
}
