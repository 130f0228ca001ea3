/**
 * The deployment transport: {@link dev.cohort.grpc.GrpcServerTransport} implements the core's
 * {@code Transport} for the coordinator, and {@link dev.cohort.grpc.GrpcClientConnector} runs a
 * client's {@code ClientRuntime} against it. Clients dial out to the server over mutual TLS and
 * keep one bidirectional gRPC stream; the protocol is in {@code cohort_federation.proto}.
 *
 * <p>Messages travel in {@link dev.cohort.grpc.PayloadCodec}'s binary form, as a start frame (the
 * header and the payload's size) and 1 MiB chunks, so no gRPC message limit reaches the user and
 * each side enforces its own maximum message size before buffering a payload. A module's own
 * payload records travel once registered: {@code PayloadCodec.register(MyStage.class)}, and
 * record-typed config values with {@code PayloadCodec.registerConfigValue(MyConfig.class)}.
 *
 * <p>Measured on loopback TLS (2 cores, 3 clients; {@code TransportBench} in the test sources):
 * 100-500 MB/s of float32 parameters depending on model size, and 0.23-0.26% of bytes on the wire
 * beyond the model's, TLS, HTTP/2, gRPC, chunking and headers included.
 */
package dev.cohort.grpc;
