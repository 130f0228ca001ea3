package dev.cohort.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.client.TrainKeys;
import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.Message;
import dev.cohort.core.strategy.RoundKeys;
import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.sgd.DpSgdConfig;
import dev.cohort.privacy.sgd.DpSgdKeys;
import dev.cohort.privacy.sgd.DpSgdTarget;
import dev.cohort.train.TrainConfig;
import dev.cohort.train.optim.OptimizerSpec;
import org.junit.jupiter.api.Test;

/**
 * The config values other modules put in instructions travel once registered, which is what a
 * deployment's server and clients must both do at start-up.
 */
class ProjectConfigValuesTest {
  @Test
  void trainingAndDpSgdSettings_roundTripOnceRegistered() {
    PayloadCodec codec = PayloadCodec.create()
        .registerConfig(TrainConfig.class).registerConfig(DpSgdConfig.class).registerConfig(DpSgdTarget.class);
    ConfigRecord config = ConfigRecord.builder()
        .put(RoundKeys.ROUND, 4).put(RoundKeys.SEED, 99L)
        .put(TrainKeys.TRAIN, TrainConfig.of(2, 32, OptimizerSpec.sgd(0.1, 0.9, 1e-4, true)).withProximalMu(0.01))
        .put(DpSgdKeys.DP_SGD, new DpSgdConfig(1.1, 1.0, 64, 1.0, 32, OptimizerSpec.adam(1e-3)))
        .put(DpSgdKeys.TARGET, new DpSgdTarget(3.0, 1e-5, 10, Conversion.values()[0]))
        .put(DpSgdKeys.TEST_SEED, 5L)
        .build();
    Message m = Message.request("run", 4, ClientId.of("a"),
        new FitInstruction(PayloadCodecTest.params(1), config));
    FitInstruction back = (FitInstruction) codec.decode(codec.encode(m)).payload();
    assertThat(back.config()).isEqualTo(config);
    assertThat(back.config().require(TrainKeys.TRAIN).optimizer()).isEqualTo(OptimizerSpec.sgd(0.1, 0.9, 1e-4, true));
  }
}
