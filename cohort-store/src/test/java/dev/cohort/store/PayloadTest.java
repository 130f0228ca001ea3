package dev.cohort.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadTest {
  @TempDir
  Path dir;

  @Test
  void of_toByteArray_isACopy() {
    byte[] bytes = {1, 2, 3};
    Payload p = Payload.of(bytes);

    byte[] copy = p.toByteArray();
    copy[0] = 9;

    assertThat(p.size()).isEqualTo(3);
    assertThat(p.toByteArray()).containsExactly(1, 2, 3);
  }

  @Test
  void ofFile_readsTheFileEachTimeItIsOpened() throws Exception {
    Path file = dir.resolve("model.safetensors");
    Files.write(file, TestPayloads.bytes(1, 5000));

    Payload p = Payload.ofFile(file);

    assertThat(p.size()).isEqualTo(5000);
    assertThat(p.toByteArray()).isEqualTo(TestPayloads.bytes(1, 5000));
    assertThat(p.toByteArray()).isEqualTo(TestPayloads.bytes(1, 5000));
  }

  @Test
  void ofFile_missing_isRefusedNamingIt() {
    Path missing = dir.resolve("nope.safetensors");

    assertThatThrownBy(() -> Payload.ofFile(missing)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void ofFile_committedAndReadBack_isTheSameBytes() throws Exception {
    Path file = dir.resolve("model.safetensors");
    Files.write(file, TestPayloads.bytes(2, 3 * Payload.CHUNK_BYTES + 1));
    try (RunStore store = RunStore.open(dir.resolve("s.db").toString())) {
      long run = store.createRun("r", "", 1).id();

      store.commitRound(run, TestPayloads.round(1), Checkpoint.ofModel(Payload.ofFile(file)));

      assertThat(store.resume(run).checkpoint().orElseThrow().model().toByteArray())
          .isEqualTo(Files.readAllBytes(file));
    }
  }
}
