package dev.cohort.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.tensor.ParameterSet;
import dev.cohort.tensor.Shape;
import dev.cohort.train.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTest {

  @Test
  void parameters_areOneLiveArray() {
    Model m = ModelSpec.twoNN().build(Shape.of(784), 10, 1);
    ParameterSet p = m.parameters();
    assertThat(p.data()).hasSize(m.parameterCount());
    p.tensor("dense1.bias").set(0, 42f);
    assertThat(m.parameters().data()[m.layout().entry("dense1.bias").offset()]).isEqualTo(42f);
    assertThat(m.gradients().layout()).isEqualTo(m.layout());
  }

  @Test
  void loadParameters_copiesTheGlobalModel() {
    Model a = ModelSpec.twoNN().build(Shape.of(784), 10, 1);
    Model b = ModelSpec.twoNN().build(Shape.of(784), 10, 2);
    b.loadParameters(a.parameters());
    assertThat(b.parameters().data()).isEqualTo(a.parameters().data())
        .isNotSameAs(a.parameters().data());
  }

  @Test
  void loadParameters_otherLayout_namesTheDifference() {
    Model a = ModelSpec.mlp(List.of(5), "relu").build(Shape.of(4), 3, 1);
    Model b = ModelSpec.mlp(List.of(6), "relu").build(Shape.of(4), 3, 1);
    assertThatThrownBy(() -> b.loadParameters(a.parameters()))
        .hasMessageContaining("dense0.weight[5, 4]").hasMessageContaining("dense0.weight[6, 4]");
  }

  @Test
  void copy_isIndependentWithEqualParameters() {
    Model a = ModelSpec.cnn("relu").build(Shape.of(1, 8, 8), 3, 1);
    Model b = a.copy();
    assertThat(b.parameters().data()).isEqualTo(a.parameters().data());
    b.parameters().data()[0] += 1f;
    assertThat(b.parameters().data()[0]).isNotEqualTo(a.parameters().data()[0]);
    Batch batch = TestData.labelled(Shape.of(1, 8, 8), 2, 3, 1);
    assertThat(a.forward(batch.features(), 2, false)).isNotSameAs(b.forward(batch.features(), 2, false));
  }

  @Test
  void forward_reusesItsOutputBuffer() {
    Model m = ModelSpec.twoNN().build(Shape.of(784), 10, 1);
    Batch b = TestData.labelled(Shape.of(784), 8, 10, 1);
    float[] first = m.forward(b.features(), 8, true);
    float[] second = m.forward(b.features(), 5, true);
    assertThat(second).isSameAs(first);
  }

  @Test
  void forward_evalMode_isDeterministicWithDropout() {
    Model m = Model.builder(Shape.of(6)).dense(8).dropout(0.5).dense(2)
        .loss(Loss.softmaxCrossEntropy()).build(1);
    Batch b = TestData.labelled(Shape.of(6), 3, 2, 1);
    float[] a = m.forward(b.features(), 3, false).clone();
    float[] c = m.forward(b.features(), 3, false).clone();
    float[] t = m.forward(b.features(), 3, true).clone();
    assertThat(c).isEqualTo(a);
    assertThat(t).isNotEqualTo(a);
  }

  @Test
  void forward_tooFewFeatures_isRejected() {
    Model m = ModelSpec.logistic().build(Shape.of(4), 3, 1);
    assertThatThrownBy(() -> m.forward(new float[7], 2, true))
        .hasMessage("x has 7 floats but 2 examples of shape [4] need 8");
  }

  @Test
  void lossAndGradient_otherBatchSize_isRejected() {
    Model m = ModelSpec.logistic().build(Shape.of(4), 3, 1);
    Batch b = TestData.labelled(Shape.of(4), 3, 3, 1);
    m.forward(b.features(), 2, true);
    assertThatThrownBy(() -> m.lossAndGradient(b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the batch has 3 examples but the latest forward pass had 2");
  }

  @Test
  void builder_convOnFlatInput_namesLayerAndShape() {
    assertThatThrownBy(() -> Model.builder(Shape.of(10)).conv2d(4, 3, 1))
        .hasMessage("conv0: conv2d needs input [channels, height, width] but the input shape is [10]");
  }

  @Test
  void builder_withoutLoss_isRejected() {
    assertThatThrownBy(() -> Model.builder(Shape.of(10)).dense(2).build(0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a loss");
  }

  @Test
  void builder_lossWidthMismatch_isRejected() {
    assertThatThrownBy(() -> Model.builder(Shape.of(10)).dense(3).loss(Loss.binaryLogistic()).build(0))
        .hasMessage("binary-logistic needs exactly 1 output (a logit) but the model has 3");
  }

  @Test
  void summary_listsLayersAndTotal() {
    String s = ModelSpec.cnn("relu").build(Shape.of(1, 28, 28), 10, 0).summary();
    assertThat(s).contains("conv0: conv2d [1, 28, 28] -> [32, 28, 28]").contains("pool1")
        .endsWith("loss cross-entropy, 1663370 parameters");
  }
}
