package dev.cohort.train.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelismTest {

  @Test
  void run_executesEveryPartOnce() {
    AtomicIntegerArray seen = new AtomicIntegerArray(5);
    Parallelism.of(3).run(5, seen::incrementAndGet);
    for (int p = 0; p < 5; p++) {
      assertThat(seen.get(p)).as("part %d", p).isEqualTo(1);
    }
  }

  @Test
  void run_workerFailure_reachesTheCaller() {
    assertThatThrownBy(() -> Parallelism.of(2).run(2, p -> {
      if (p == 1) {
        throw new IllegalStateException("part 1 failed");
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("part 1 failed");
  }

  @Test
  void parts_smallWork_staysOnTheCaller() {
    assertThat(Parallelism.of(2).parts(100, Parallelism.MIN_SPLIT_WORK - 1)).isEqualTo(1);
    assertThat(Parallelism.of(2).parts(100, Parallelism.MIN_SPLIT_WORK)).isEqualTo(2);
    assertThat(Parallelism.of(4).parts(3, Long.MAX_VALUE)).isEqualTo(3);
    assertThat(Parallelism.SERIAL.parts(100, Long.MAX_VALUE)).isEqualTo(1);
  }

  @Test
  void start_partitionsWithoutGapsOrOverlap() {
    assertThat(Parallelism.start(10, 3, 0)).isZero();
    assertThat(Parallelism.start(10, 3, 1)).isEqualTo(3);
    assertThat(Parallelism.start(10, 3, 2)).isEqualTo(6);
    assertThat(Parallelism.start(10, 3, 3)).isEqualTo(10);
  }

  @Test
  void of_outOfRange_isRejected() {
    assertThatThrownBy(() -> Parallelism.of(65)).hasMessage("threads must be in [1, 64] but was 65");
  }
}
