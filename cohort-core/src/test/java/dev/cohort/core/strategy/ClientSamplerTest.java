package dev.cohort.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.ClientId;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {
  private static final List<ClientId> CLIENTS = IntStream.range(0, 100).mapToObj(i -> ClientId.of("c" + i)).toList();

  @Test
  void fixed_samplesRoundedFractionAtLeastMin() {
    assertThat(ClientSampler.fixed(0.1, 1).sample(CLIENTS, 1)).hasSize(10).doesNotHaveDuplicates();
    assertThat(ClientSampler.fixed(0.01, 5).sample(CLIENTS, 1)).hasSize(5);
    assertThat(ClientSampler.fixed(0.5, 1).sample(CLIENTS.subList(0, 3), 1)).hasSize(2);
  }

  @Test
  void fixed_sameSeedSameSample_otherSeedOtherSample() {
    ClientSampler s = ClientSampler.fixed(0.1, 1);
    assertThat(s.sample(CLIENTS, 7)).isEqualTo(s.sample(CLIENTS, 7));
    assertThat(s.sample(CLIENTS, 7)).isNotEqualTo(s.sample(CLIENTS, 8));
  }

  @Test
  void fixed_everyClientIsEquallyLikely() {
    int[] hits = new int[100];
    ClientSampler s = ClientSampler.fixed(0.1, 1);
    for (int seed = 0; seed < 5000; seed++) {
      for (ClientId c : s.sample(CLIENTS, seed)) {
        hits[Integer.parseInt(c.value().substring(1))]++;
      }
    }
    // Each client: Binomial(5000, 0.1), mean 500, sd 21; allow 6 sd.
    for (int h : hits) {
      assertThat(h).isBetween(374, 626);
    }
  }

  @Test
  void poisson_sampleSizeVariesAroundTheExpectation() {
    ClientSampler s = ClientSampler.poisson(0.2, 1);
    int total = 0;
    java.util.Set<Integer> sizes = new java.util.HashSet<>();
    for (int seed = 0; seed < 1000; seed++) {
      int k = s.sample(CLIENTS, seed).size();
      total += k;
      sizes.add(k);
    }
    assertThat(total / 1000.0).isBetween(19.0, 21.0); // mean 20, sd of the mean 0.13
    assertThat(sizes.size()).isGreaterThan(5);
    assertThat(s.isPoisson()).isTrue();
  }

  @Test
  void invalidFraction_isNamed() {
    assertThatThrownBy(() -> ClientSampler.fixed(0, 1)).hasMessage("fraction must be in (0, 1] but was 0.0");
    assertThatThrownBy(() -> ClientSampler.fixed(0.5, 0)).hasMessage("min_clients must be >= 1 but was 0");
  }
}
