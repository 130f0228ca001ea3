package dev.cohort.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.ClientId;
import dev.cohort.core.ConfigKey;
import dev.cohort.core.ConfigRecord;
import dev.cohort.core.MetricRecord;
import dev.cohort.core.message.ErrorReply;
import dev.cohort.core.message.EvaluateInstruction;
import dev.cohort.core.message.EvaluateResult;
import dev.cohort.core.message.FitInstruction;
import dev.cohort.core.message.FitResult;
import dev.cohort.core.message.Message;
import dev.cohort.core.message.Payload;
import dev.cohort.core.strategy.RoundKeys;
import dev.cohort.tensor.ParameterLayout;
import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadCodecTest {
  private final PayloadCodec codec = PayloadCodec.create();

  static ParameterSet params(int seed) {
    ParameterLayout layout = ParameterLayout.builder()
        .add("dense0.weight", Shape.of(4, 3)).add("dense0.bias", Shape.of(3)).add("scale", Shape.of()).build();
    float[] data = new float[layout.totalSize()];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    data[0] = Float.NaN;
    data[1] = -0.0f;
    return ParameterSet.wrap(layout, data);
  }

  private Message roundTrip(Payload p) {
    Message m = Message.request("run-7", 3, ClientId.of("site-1"), p);
    Message back = codec.decode(codec.encode(m));
    assertThat(back.header()).isEqualTo(m.header());
    return back;
  }

  static void assertSameParams(ParameterSet a, ParameterSet b) {
    assertThat(b.layout()).isEqualTo(a.layout());
    assertThat(Arrays.equals(a.data(), b.data())).as("float bits equal").isTrue();
  }

  /* --- core payloads --- */

  @Test
  void fitInstruction_roundTrips() {
    ConfigRecord config = ConfigRecord.builder().put(RoundKeys.ROUND, 3).put(RoundKeys.SEED, 42L)
        .put(ConfigKey.of("lr", Double.class), 0.05).put(ConfigKey.of("note", String.class), "héllo")
        .put(ConfigKey.of("flag", Boolean.class), true).put(ConfigKey.of("f", Float.class), 1.5f).build();
    FitInstruction fit = new FitInstruction(params(1), config);
    FitInstruction back = (FitInstruction) roundTrip(fit).payload();
    assertSameParams(fit.global(), back.global());
    assertThat(back.config()).isEqualTo(config);
    assertThat(back.config().require(RoundKeys.SEED)).isEqualTo(42L);
  }

  @Test
  void fitResult_roundTrips() {
    FitResult r = new FitResult(params(2), 600, MetricRecord.of("loss", 0.25, "accuracy", 0.9));
    FitResult back = (FitResult) roundTrip(r).payload();
    assertSameParams(r.update(), back.update());
    assertThat(back.examples()).isEqualTo(600);
    assertThat(back.metrics()).isEqualTo(r.metrics());
  }

  @Test
  void evaluatePayloadsAndErrorReply_roundTrip() {
    EvaluateInstruction ei = new EvaluateInstruction(params(3), ConfigRecord.empty());
    assertSameParams(ei.global(), ((EvaluateInstruction) roundTrip(ei).payload()).global());
    EvaluateResult er = new EvaluateResult(0.5, 100, MetricRecord.of("accuracy", 0.8));
    assertThat(roundTrip(er).payload()).isEqualTo(er);
    ErrorReply e = new ErrorReply("oops", "it broke");
    assertThat(roundTrip(e).payload()).isEqualTo(e);
  }

  @Test
  void largeParameterSet_isCopiedInBulkAndExact() {
    ParameterLayout layout = ParameterLayout.builder().add("w", Shape.of(1000, 2000)).build();
    float[] data = new float[layout.totalSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5f;
    }
    FitResult r = new FitResult(ParameterSet.wrap(layout, data), 1, MetricRecord.empty());
    byte[] bytes = codec.encodePayload(r);
    assertThat(bytes.length).isLessThan(4 * data.length + 200);
    assertSameParams(r.update(), ((FitResult) codec.decodePayload(bytes)).update());
  }

  /* --- every supported type --- */

  enum Colour { RED, GREEN }

  sealed interface Shape2 permits Circle, Square {}

  record Circle(double radius) implements Shape2 {}

  record Square(float side, Colour colour) implements Shape2 {}

  record Inner(String label, List<Integer> counts) {}

  record Everything(boolean b, int i, long l, float f, double d, Boolean bb, Integer ii, Long ll, Float ff, Double dd,
      String s, byte[] bytes, int[] ints, long[] longs, float[] floats, double[] doubles, Colour colour, ClientId client,
      ConfigRecord config, MetricRecord metrics, ParameterSet params, Inner inner, Shape2 shape, List<String> strings,
      List<Inner> inners, List<List<Long>> nested, Map<String, Double> byName, Map<Integer, String> byInt,
      Map<Long, float[]> byLong, Map<ClientId, Inner> byClient, String nothing) implements Payload {}

  @Test
  void madeUpRecord_withEverySupportedType_roundTrips() {
    codec.registerPayload(Everything.class);
    codec.registerConfig(Inner.class).registerConfig(Colour.class).registerConfig(Shape2.class);
    ConfigRecord config = ConfigRecord.builder()
        .put(ConfigKey.of("inner", Inner.class), new Inner("x", List.of(1, 2)))
        .put(ConfigKey.of("colour", Colour.class), Colour.GREEN)
        .put(ConfigKey.of("shape", Shape2.class), new Square(2f, Colour.RED)).build();
    Everything e = new Everything(true, -5, Long.MIN_VALUE, 1.25f, Math.PI, false, 7, 8L, 9f, 10d, "ünïcode ✓",
        new byte[] {1, -2, 3}, new int[] {Integer.MIN_VALUE, 0}, new long[] {1L << 40}, new float[] {Float.NaN, 1f},
        new double[] {Double.NEGATIVE_INFINITY}, Colour.RED, ClientId.of("c-1"), config, MetricRecord.of("a", 1.0),
        params(4), new Inner("in", List.of(3)), new Circle(2.5), List.of("a", "b"),
        List.of(new Inner("p", List.of()), new Inner("q", List.of(9))), List.of(List.of(1L, 2L), List.of()),
        Map.of("x", 1.0), Map.of(1, "one"), Map.of(5L, new float[] {5f}), Map.of(ClientId.of("k"), new Inner("v", List.of())),
        null);
    Everything b = (Everything) codec.decodePayload(codec.encodePayload(e));
    assertThat(b).usingRecursiveComparison().ignoringFields("params")
        .withEqualsForType(Float::equals, Float.class).withEqualsForType(Double::equals, Double.class).isEqualTo(e);
    assertSameParams(e.params(), b.params());
    assertThat(b.config()).isEqualTo(config);
    assertThat(b.nothing()).isNull();
  }

  record Unsupported(Object anything) implements Payload {}

  record BadMapKey(Map<Double, String> m) implements Payload {}

  record Loop(List<Loop> children) implements Payload {}

  @Test
  void register_unsupportedComponent_namesIt() {
    assertThatThrownBy(() -> codec.registerPayload(Unsupported.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unsupported.anything")
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> codec.registerPayload(BadMapKey.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("map keys must be");
    assertThatThrownBy(() -> codec.registerPayload(Loop.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recursive");
  }

  record Unregistered(int x) implements Payload {}

  @Test
  void encode_unregisteredPayloadOrConfigValue_saysHowToRegister() {
    assertThatThrownBy(() -> codec.encodePayload(new Unregistered(1)))
        .isInstanceOf(CodecException.class).hasMessageContaining("PayloadCodec.register(Unregistered.class)");
    FitInstruction fit = new FitInstruction(params(1),
        ConfigRecord.builder().put(ConfigKey.of("inner", Inner.class), new Inner("x", List.of())).build());
    assertThatThrownBy(() -> codec.encodePayload(fit))
        .isInstanceOf(CodecException.class).hasMessageContaining("registerConfigValue(Inner.class)");
  }

  @Test
  void sharedCodec_acceptsRegistrationsFromOtherModules() {
    PayloadCodec.register(Unregistered.class);
    assertThat(PayloadCodec.shared().isRegistered(Unregistered.class)).isTrue();
    assertThat(PayloadCodec.shared().decodePayload(PayloadCodec.shared().encodePayload(new Unregistered(3))))
        .isEqualTo(new Unregistered(3));
  }

  /* --- hostile input --- */

  @Test
  void decode_unknownType_isNamedAndNeverLoaded() {
    WireWriter w = new WireWriter(16);
    w.writeString("java.lang.ProcessBuilder");
    assertThatThrownBy(() -> codec.decodePayload(w.toByteArray()))
        .isInstanceOf(CodecException.class).hasMessageContaining("unknown payload type 'java.lang.ProcessBuilder'");
  }

  @Test
  void decode_layoutMismatch_isReported() {
    WireWriter w = new WireWriter(64);
    w.writeString(FitResult.class.getName());
    w.writeByte(1);
    w.writeVarint(1);
    w.writeString("w");
    w.writeInts(new int[] {2, 2});
    w.writeFloats(new float[3]);
    assertThatThrownBy(() -> codec.decodePayload(w.toByteArray()))
        .isInstanceOf(CodecException.class).hasMessageContaining("layout mismatch").hasMessageContaining("3 floats");
  }

  @Test
  void decode_hugeLength_isRefusedBeforeAllocating() {
    WireWriter w = new WireWriter(64);
    w.writeString(ErrorReply.class.getName());
    w.writeByte(1);
    w.writeVarint(Integer.MAX_VALUE);
    assertThatThrownBy(() -> codec.decodePayload(w.toByteArray()))
        .isInstanceOf(CodecException.class).hasMessageContaining("truncated input");
  }

  @Test
  void decode_valuesTheRecordRefuses_areReportedAsCodecErrors() {
    FitResult ok = new FitResult(params(1), 5, MetricRecord.empty());
    byte[] bytes = codec.encodePayload(ok);
    // examples is the long right before the metrics' presence byte and (empty) count: set it to -1
    for (int i = 0; i < 8; i++) {
      bytes[bytes.length - 2 - 8 + i] = (byte) 0xFF;
    }
    assertThatThrownBy(() -> codec.decodePayload(bytes))
        .isInstanceOf(CodecException.class).hasMessageContaining("invalid FitResult").hasMessageContaining("examples");
  }

  @Test
  void decode_everyTruncationAndManyCorruptions_throwOnlyCodecException() {
    codec.registerPayload(Everything.class);
    FitInstruction fit = new FitInstruction(params(5), ConfigRecord.builder().put(RoundKeys.ROUND, 1).build());
    List<byte[]> samples = List.of(codec.encode(Message.request("r", 1, ClientId.of("a"), fit)),
        codec.encode(Message.request("r", 1, ClientId.of("a"), new EvaluateResult(1, 2, MetricRecord.of("m", 1)))),
        codec.encode(Message.request("r", 1, ClientId.of("a"), new ErrorReply("c", "r"))));
    SplittableRandom random = new SplittableRandom(11);
    int decoded = 0;
    for (byte[] good : samples) {
      for (int cut = 0; cut < good.length; cut++) {
        byte[] truncated = Arrays.copyOf(good, cut);
        assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(CodecException.class);
      }
      for (int trial = 0; trial < 3000; trial++) {
        byte[] bad = good.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
          bad[random.nextInt(Math.min(bad.length, 120))] = (byte) random.nextInt(256);
        }
        try {
          codec.decode(bad);
          decoded++;
        } catch (CodecException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        }
      }
    }
    assertThat(decoded).as("some corruptions only change values").isGreaterThan(0);
  }
}
