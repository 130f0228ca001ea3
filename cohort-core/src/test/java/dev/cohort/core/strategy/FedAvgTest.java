package dev.cohort.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigKey;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FedAvgTest {
  private static final ParameterLayout LAYOUT = ParameterLayout.builder().add("w", Shape.of(3)).build();
  private static final ConfigKey<Double> LR = ConfigKey.of("lr", Double.class);

  @Test
  void configureFit_sendsTheGlobalModelAndTypedConfigWithRoundAndSeed() {
    FedAvg f = FedAvg.builder().fraction(0.5).clientConfig(ConfigRecord.builder().put(LR, 0.1).build()).build();
    List<ClientId> clients = IntStream.range(0, 4).mapToObj(i -> ClientId.of("c" + i)).toList();
    ParameterSet global = ParameterSet.zeros(LAYOUT);
    List<Instruction> plan = f.configureFit(new RoundContext(3, 10, 42), global, clients);
    assertThat(plan).hasSize(2);
    FitInstruction ins = (FitInstruction) plan.get(0).payload();
    assertThat(ins.global()).isSameAs(global);
    assertThat(ins.config().require(LR)).isEqualTo(0.1);
    assertThat(ins.config().require(RoundKeys.ROUND)).isEqualTo(3);
    assertThat(ins.config().require(RoundKeys.SEED)).isEqualTo(42L);
  }

  @Test
  void applyUpdate_movesByServerRateTimesUpdateAndKeepsTheOldModel() {
    FedAvg f = FedAvg.builder().serverLearningRate(0.5).build();
    ParameterSet global = ParameterSet.wrap(LAYOUT, new float[] {1, 2, 3});
    ParameterSet next = f.applyUpdate(new RoundContext(1, 1, 0), global, ParameterSet.wrap(LAYOUT, new float[] {2, 2, -2}));
    assertThat(next.data()).containsExactly(2f, 3f, 2f);
    assertThat(global.data()).containsExactly(1f, 2f, 3f);
  }

  @Test
  void weight_isTheExampleCount() {
    assertThat(FedAvg.builder().build().weight(new FitResult(ParameterSet.zeros(LAYOUT), 37, MetricRecord.empty())))
        .isEqualTo(37);
  }
}
