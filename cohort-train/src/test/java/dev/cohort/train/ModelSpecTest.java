package dev.cohort.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private static final Shape MNIST = Shape.of(1, 28, 28);

  /* --- architectures --- */

  @Test
  void cnn_paramCount_matchesMcMahan2017() {
    assertThat(ModelSpec.cnn("relu").build(MNIST, 10, 0).parameterCount()).isEqualTo(1_663_370);
  }

  @Test
  void twoNN_paramCount_is199210() {
    assertThat(ModelSpec.twoNN().build(MNIST, 10, 0).parameterCount()).isEqualTo(199_210);
  }

  @Test
  void simpleCnn_paramCount_matchesNiidBenchOnCifar() {
    // conv 3->6 (456), conv 6->16 (2,416), fc 400->120 (48,120), 120->84 (10,164), 84->10 (850)
    assertThat(ModelSpec.simpleCnn("relu").build(Shape.of(3, 32, 32), 10, 0).parameterCount())
        .isEqualTo(62_006);
  }

  @Test
  void cnn_parameterNames_havePyTorchShapes() {
    Model m = ModelSpec.cnn("tanh").build(MNIST, 10, 0);
    assertThat(m.layout().entries()).extracting(e -> e.name() + e.shape()).containsExactly(
        "conv0.weight[32, 1, 5, 5]", "conv0.bias[32]", "conv1.weight[64, 32, 5, 5]",
        "conv1.bias[64]", "dense0.weight[512, 3136]", "dense0.bias[512]",
        "dense1.weight[10, 512]", "dense1.bias[10]");
  }

  @Test
  void logistic_twoClasses_isBinaryOnOneLogit() {
    Model m = ModelSpec.logistic().build(Shape.of(5), 2, 0);
    assertThat(m.outputShape()).isEqualTo(Shape.of(1));
    assertThat(m.loss().name()).isEqualTo("binary-logistic");
  }

  @Test
  void logistic_manyClasses_isMultinomial() {
    Model m = ModelSpec.logistic().build(Shape.of(5), 4, 0);
    assertThat(m.outputShape()).isEqualTo(Shape.of(4));
    assertThat(m.loss().name()).isEqualTo("cross-entropy");
  }

  @Test
  void linear_usesSquaredError() {
    assertThat(ModelSpec.linear().build(Shape.of(3), 1, 0).loss().name()).isEqualTo("mse");
  }

  /* --- initialisation --- */

  @Test
  void build_sameSeed_sameParametersBitForBit() {
    float[] a = ModelSpec.twoNN().build(MNIST, 10, 7).parameters().data();
    float[] b = ModelSpec.twoNN().build(MNIST, 10, 7).parameters().data();
    float[] c = ModelSpec.twoNN().build(MNIST, 10, 8).parameters().data();
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void build_initialisesUniformlyWithinOneOverSqrtFanIn() {
    Model m = ModelSpec.cnn("relu").build(MNIST, 10, 3);
    checkBound(m, "conv0.weight", 25);
    checkBound(m, "conv1.weight", 800);
    checkBound(m, "conv1.bias", 800);
    checkBound(m, "dense0.weight", 3136);
  }

  private static void checkBound(Model m, String name, int fanIn) {
    float[] v = m.parameters().tensor(name).toArray();
    double bound = 1 / Math.sqrt(fanIn);
    double max = 0;
    double sum = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
      sum += x;
    }
    assertThat(max).as(name).isLessThanOrEqualTo(bound);
    if (v.length > 1000) {
      assertThat(max).as(name + " reaches the bound").isGreaterThan(0.99 * bound);
      assertThat(Math.abs(sum / v.length)).as(name + " mean").isLessThan(0.05 * bound);
    }
  }

  /* --- validation --- */

  @Test
  void mlp_zeroHiddenSize_isRejected() {
    assertThatThrownBy(() -> ModelSpec.mlp(List.of(200, 0), "relu"))
        .hasMessage("mlp hidden sizes must be > 0 but were [200, 0]");
  }

  @Test
  void cnn_onFlatInput_saysWhichShapeItNeeds() {
    assertThatThrownBy(() -> ModelSpec.cnn("relu").build(Shape.of(784), 10, 0))
        .hasMessage("cnn needs image input [channels, height, width] of at least 4x4 but the input"
            + " shape was [784]");
  }

  @Test
  void simpleCnn_onSmallImage_isRejected() {
    assertThatThrownBy(() -> ModelSpec.simpleCnn("relu").build(Shape.of(1, 12, 12), 10, 0))
        .hasMessageContaining("at least 16x16").hasMessageContaining("[1, 12, 12]");
  }

  @Test
  void unknownKind_listsTheKinds() {
    assertThatThrownBy(() -> new ModelSpec("resnet", List.of(), "relu"))
        .hasMessage("kind must be one of [logistic, linear, mlp, cnn, simple-cnn] but was 'resnet'");
  }

  @Test
  void unknownActivation_isRejected() {
    assertThatThrownBy(() -> ModelSpec.cnn("gelu"))
        .hasMessage("activation must be 'relu' or 'tanh' but was 'gelu'");
  }

  @Test
  void hiddenSizesOnFixedArchitecture_areRejected() {
    assertThatThrownBy(() -> new ModelSpec("cnn", List.of(5), "relu"))
        .hasMessageContaining("cnn has a fixed architecture");
  }

  @Test
  void logistic_oneOutput_isRejected() {
    assertThatThrownBy(() -> ModelSpec.logistic().build(Shape.of(3), 1, 0))
        .hasMessage("logistic needs outputs >= 2 (classes) but was 1");
  }
}
