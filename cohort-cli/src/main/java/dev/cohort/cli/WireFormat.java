package dev.cohort.cli;

import dev.cohort.grpc.PayloadCodec;
import dev.cohort.privacy.sgd.DpSgdConfig;
import dev.cohort.privacy.sgd.DpSgdTarget;
import dev.cohort.secagg.protocol.SecAggPayload;
import dev.cohort.train.TrainConfig;

/**
 * The message codec of a deployed federation: the core payloads, every stage of secure
 * aggregation, and the config values instructions carry. Server and clients build it the same way,
 * so both sides understand the same messages.
 */
final class WireFormat {
  private WireFormat() {}

  static PayloadCodec codec() {
    PayloadCodec codec = PayloadCodec.create()
        .registerConfig(TrainConfig.class)
        .registerConfig(DpSgdConfig.class)
        .registerConfig(DpSgdTarget.class);
    for (Class<?> type : SecAggPayload.class.getPermittedSubclasses()) {
      register(codec, type);
    }
    return codec;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void register(PayloadCodec codec, Class<?> type) {
    codec.registerPayload((Class) type);
  }
}
