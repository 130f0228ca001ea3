package dev.cohort.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.ClientId;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MeanFactoryTest {
  private static final ParameterLayout LAYOUT = ParameterLayout.builder()
      .add("a", Shape.of(33, 7)).add("b", Shape.of(5)).build();

  private static List<Contribution> contributions(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Contribution> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ParameterSet p = ParameterSet.zeros(LAYOUT);
      for (int j = 0; j < p.size(); j++) {
        p.data()[j] = (float) rng.nextGaussian();
      }
      out.add(new Contribution(ClientId.of("c" + i), p, 1 + rng.nextInt(100)));
    }
    return out;
  }

  private static float[] aggregate(LinearAggregatorFactory f, List<Contribution> cs) {
    AggregationProcess p = f.create(LAYOUT);
    Accumulator acc = p.begin(p.initialState());
    cs.forEach(acc::add);
    return acc.finish().result().data();
  }

  /* --- weighted mean --- */

  @ParameterizedTest(name = "{0} contributions")
  @ValueSource(ints = {1, 2, 3, 4, 5, 8, 9, 17})
  void weightedMean_matchesTheDefinitionForAnyCount(int n) {
    List<Contribution> cs = contributions(n, n);
    float[] got = aggregate(Aggregators.weightedMean(), cs);
    double total = cs.stream().mapToDouble(Contribution::weight).sum();
    for (int j = 0; j < LAYOUT.totalSize(); j++) {
      double expected = 0;
      for (Contribution c : cs) {
        expected += c.weight() * c.update().data()[j];
      }
      assertThat((double) got[j]).isCloseTo(expected / total, within(1e-5));
    }
  }

  @Test
  void mean_ignoresWeights() {
    List<Contribution> cs = contributions(6, 3);
    float[] got = aggregate(Aggregators.mean(), cs);
    for (int j = 0; j < LAYOUT.totalSize(); j++) {
      double expected = 0;
      for (Contribution c : cs) {
        expected += c.update().data()[j];
      }
      assertThat((double) got[j]).isCloseTo(expected / 6, within(1e-5));
    }
  }

  @Test
  void weightedMean_doesNotDependOnArrivalOrderBeyondRounding() {
    List<Contribution> cs = contributions(11, 4);
    float[] a = aggregate(Aggregators.weightedMean(), cs);
    List<Contribution> shuffled = new ArrayList<>(cs);
    Collections.shuffle(shuffled, new java.util.Random(1));
    float[] b = aggregate(Aggregators.weightedMean(), shuffled);
    for (int j = 0; j < a.length; j++) {
      assertThat(b[j]).isCloseTo(a[j], within(1e-5f));
    }
  }

  @Test
  void contributions_areNotModified() {
    List<Contribution> cs = contributions(5, 5);
    List<float[]> before = cs.stream().map(c -> c.update().data().clone()).toList();
    aggregate(Aggregators.weightedMean(), cs);
    for (int i = 0; i < cs.size(); i++) {
      assertThat(cs.get(i).update().data()).isEqualTo(before.get(i));
    }
  }

  /* --- errors --- */

  @Test
  void wrongLayout_isRejectedNamingTheClient() {
    AggregationProcess p = Aggregators.weightedMean().create(LAYOUT);
    Accumulator acc = p.begin(p.initialState());
    ParameterSet other = ParameterSet.zeros(ParameterLayout.builder().add("a", Shape.of(7, 33)).add("b", Shape.of(5)).build());
    assertThatThrownBy(() -> acc.add(new Contribution(ClientId.of("mallory"), other, 1)))
        .hasMessageContaining("mallory").hasMessageContaining("a[7, 33]");
  }

  @Test
  void finishWithNothing_isAnError() {
    AggregationProcess p = Aggregators.weightedMean().create(LAYOUT);
    assertThatThrownBy(() -> p.begin(p.initialState()).finish()).hasMessageContaining("cannot average 0");
  }

  @Test
  void negativeWeight_isRejected() {
    assertThatThrownBy(() -> new Contribution(ClientId.of("x"), ParameterSet.zeros(LAYOUT), -1))
        .hasMessageContaining("weight of x must be finite and >= 0");
  }
}
