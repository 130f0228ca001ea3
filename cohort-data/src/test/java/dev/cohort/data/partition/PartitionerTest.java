package dev.cohort.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionerTest {
  /* --- parse --- */

  @Test
  void parse_defaults() {
    assertThat(Partitioner.parse("iid")).isEqualTo(new Iid());
    assertThat(Partitioner.parse("dirichlet")).isEqualTo(new Dirichlet(0.5, 10));
    assertThat(Partitioner.parse("label-quantity")).isEqualTo(new LabelQuantity(2));
    assertThat(Partitioner.parse("shards")).isEqualTo(new Shards(2));
    assertThat(Partitioner.parse("quantity-skew")).isEqualTo(new QuantitySkew(0.5, 10));
  }

  @Test
  void parse_withParameters_numbersOrStrings() {
    assertThat(Partitioner.parse("Dirichlet", Map.of("alpha", 0.1, "min-size", 5L))).isEqualTo(new Dirichlet(0.1, 5));
    assertThat(Partitioner.parse("label-quantity", Map.of("k", "3"))).isEqualTo(new LabelQuantity(3));
    assertThat(Partitioner.parse("shards", Map.of("shards-per-client", 4))).isEqualTo(new Shards(4));
    assertThat(Partitioner.parse(" quantity-skew ", Map.of("alpha", "2"))).isEqualTo(new QuantitySkew(2, 10));
  }

  @Test
  void parse_nameAndParameters_roundTrip() {
    for (Partitioner p : List.of(Partitioner.iid(), Partitioner.dirichlet(0.3, 7), Partitioner.labelQuantity(4),
        Partitioner.shards(3), Partitioner.quantitySkew(2.5, 1))) {
      assertThat(Partitioner.parse(p.name(), p.parameters())).isEqualTo(p);
    }
  }

  @Test
  void parse_unknownName_listsNames() {
    assertThatThrownBy(() -> Partitioner.parse("dirchlet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown partitioner 'dirchlet'; expected one of iid, dirichlet, label-quantity, shards, quantity-skew");
  }

  @Test
  void parse_unknownKey_listsKeys() {
    assertThatThrownBy(() -> Partitioner.parse("dirichlet", Map.of("beta", 0.5)))
        .hasMessage("partitioner 'dirichlet' has no parameter 'beta'; its parameters are alpha, min-size");
    assertThatThrownBy(() -> Partitioner.parse("iid", Map.of("alpha", 0.5)))
        .hasMessage("partitioner 'iid' has no parameter 'alpha'; its parameters are none");
  }

  @Test
  void parse_badValues_nameKeyAndValue() {
    assertThatThrownBy(() -> Partitioner.parse("dirichlet", Map.of("alpha", "lots")))
        .hasMessage("dirichlet parameter alpha must be a number but was 'lots'");
    assertThatThrownBy(() -> Partitioner.parse("label-quantity", Map.of("k", 2.5)))
        .hasMessage("label-quantity parameter k must be an integer but was 2.5");
    assertThatThrownBy(() -> Partitioner.parse("dirichlet", Map.of("alpha", 0)))
        .hasMessage("dirichlet alpha must be finite and > 0 but was 0.0");
  }

  /* --- describe --- */

  @Test
  void describe_nameAndParameters() {
    assertThat(Partitioner.iid().describe()).isEqualTo("iid");
    assertThat(Partitioner.dirichlet(0.5).describe()).isEqualTo("dirichlet(alpha=0.5, min-size=10)");
    assertThat(Partitioner.shards(2).describe()).isEqualTo("shards(shards-per-client=2)");
  }

  /* --- partition arguments --- */

  @Test
  void partition_clientCountOutOfRange_rejected() {
    assertThatThrownBy(() -> Partitioner.iid().partition(Fixtures.balanced(5, 2), 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clients must be >= 1 but was 0");
    assertThatThrownBy(() -> Partitioner.iid().partition(Fixtures.balanced(5, 2), 11, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clients must be <= the number of examples (10 in synthetic) but was 11");
  }

  @Test
  void partition_nullDataset_rejected() {
    assertThatThrownBy(() -> Partitioner.iid().partition(null, 1, 0)).isInstanceOf(NullPointerException.class);
  }
}
