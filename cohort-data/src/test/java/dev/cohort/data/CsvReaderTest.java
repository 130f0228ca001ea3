package dev.cohort.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.tensor.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  private Path csv(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static float[] features(Dataset d) {
    int n = d.size();
    int f = d.exampleShape().size();
    float[] x = new float[n * f];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    d.copyBatch(order, 0, n, x, d.isClassification() ? new int[n] : new float[n]);
    return x;
  }

  /* --- classification --- */

  @Test
  void read_classification_labelsMappedBySortedValue() throws IOException {
    Path f = csv("credit.csv", "age,label,income\n30,no,1.5\n41,yes,-2e3\n25,maybe,0\n52,no,.5\n");
    CsvData data = CsvReader.classification("label").read(f);
    Dataset d = data.dataset();
    assertThat(d.name()).isEqualTo("credit");
    assertThat(d.exampleShape()).isEqualTo(Shape.of(2));
    assertThat(data.featureNames()).containsExactly("age", "income");
    assertThat(data.classNames()).containsExactly("maybe", "no", "yes");
    assertThat(d.numClasses()).isEqualTo(3);
    assertThat(d.labels()).containsExactly(1, 2, 0, 1);
    assertThat(features(d)).containsExactly(30f, 1.5f, 41f, -2000f, 25f, 0f, 52f, 0.5f);
    assertThat(data.classIndex("yes")).isEqualTo(2);
    assertThat(data.classIndex("unknown")).isEqualTo(-1);
  }

  @Test
  void read_numericLabels_sortedNumerically() throws IOException {
    Path f = csv("n.csv", "x,y\n1,10\n2,2\n3,1\n4,2\n");
    CsvData data = CsvReader.classification("y").read(f);
    assertThat(data.classNames()).containsExactly("1", "2", "10");
    assertThat(data.dataset().labels()).containsExactly(2, 1, 0, 1);
  }

  @Test
  void read_singleClass_rejected() throws IOException {
    Path f = csv("one.csv", "x,y\n1,a\n2,a\n");
    assertThatThrownBy(() -> CsvReader.classification("y").read(f))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("only one distinct value 'a'");
  }

  /* --- regression --- */

  @Test
  void read_regression_targetsFromColumn() throws IOException {
    Path f = csv("houses.csv", "rooms,area,price\n3,70.5,250000\n1,30,99.5\n");
    CsvData data = CsvReader.regression("price").read(f);
    Dataset d = data.dataset();
    assertThat(d.isClassification()).isFalse();
    assertThat(d.targetSize()).isEqualTo(1);
    assertThat(data.classNames()).isEmpty();
    float[] x = new float[4];
    float[] y = new float[2];
    d.copyBatch(new int[] {0, 1}, 0, 2, x, y);
    assertThat(x).containsExactly(3f, 70.5f, 1f, 30f);
    assertThat(y).containsExactly(250000f, 99.5f);
  }

  @Test
  void read_regressionTargetNotNumber_namesLineAndColumn() throws IOException {
    Path f = csv("houses.csv", "rooms,price\n3,cheap\n");
    assertThatThrownBy(() -> CsvReader.regression("price").read(f))
        .hasMessage(f + ": line 2, column 'price': 'cheap' is not a number");
  }

  /* --- syntax --- */

  @Test
  void read_delimiterBlankLinesCrlfBomAndQuotes() throws IOException {
    Path f = csv("semi.csv", "\uFEFF\"a\" ; \"the label\"\r\n\r\n  1.5 ; \"x;y\"\r\n   \r\n2;\"say \"\"hi\"\"\"\r\n");
    CsvData data = CsvReader.classification("the label").withDelimiter(';').read(f);
    assertThat(data.featureNames()).containsExactly("a");
    assertThat(data.classNames()).containsExactly("say \"hi\"", "x;y");
    assertThat(features(data.dataset())).containsExactly(1.5f, 2f);
  }

  @Test
  void read_tabDelimited() throws IOException {
    Path f = csv("t.tsv", "a\tb\tc\n1\t2\tp\n3\t4\tq\n");
    CsvData data = CsvReader.classification("c").withDelimiter('\t').read(f);
    assertThat(features(data.dataset())).containsExactly(1f, 2f, 3f, 4f);
  }

  @Test
  void read_malformedNumber_namesFileLineAndColumn() throws IOException {
    StringBuilder text = new StringBuilder("age,income,label\n");
    for (int i = 2; i < 17; i++) {
      text.append(i).append(",100,a\n");
    }
    text.append("40,abc,b\n");
    Path f = csv("credit.csv", text.toString());
    assertThatThrownBy(() -> CsvReader.classification("label").read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(f + ": line 17, column 'income': 'abc' is not a number");
  }

  @Test
  void read_emptyAndNonFiniteFields_rejected() throws IOException {
    Path empty = csv("e.csv", "a,b,y\n1,,p\n");
    Path nan = csv("n.csv", "a,b,y\n1,NaN,p\n");
    Path big = csv("b.csv", "a,b,y\n1,1e999,p\n");
    CsvReader r = CsvReader.classification("y");
    assertThatThrownBy(() -> r.read(empty)).hasMessageContaining("line 2, column 'b': '' is not a number");
    assertThatThrownBy(() -> r.read(nan)).hasMessageContaining("'NaN' is not a number");
    assertThatThrownBy(() -> r.read(big)).hasMessageContaining("'1e999' is outside the float range");
  }

  @Test
  void read_wrongFieldCount_namesLine() throws IOException {
    Path f = csv("w.csv", "a,b,y\n1,2,p\n\n1,2,3,q\n");
    assertThatThrownBy(() -> CsvReader.classification("y").read(f))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(f + ": line 4 has 4 fields but the header has 3");
  }

  @Test
  void read_unclosedQuote_namesLine() throws IOException {
    Path f = csv("q.csv", "a,y\n1,\"open\n");
    assertThatThrownBy(() -> CsvReader.classification("y").read(f))
        .hasMessageContaining("line 2: the quote opened at character 3 is never closed");
  }

  @Test
  void read_missingLabelColumn_listsHeader() throws IOException {
    Path f = csv("m.csv", "a,b\n1,2\n");
    assertThatThrownBy(() -> CsvReader.classification("label").read(f))
        .hasMessage(f + ": no column 'label' in the header [a, b] on line 1");
  }

  @Test
  void read_duplicateColumn_rejected() throws IOException {
    Path f = csv("d.csv", "a,a,y\n1,2,p\n");
    assertThatThrownBy(() -> CsvReader.classification("y").read(f))
        .hasMessageContaining("column 'a' appears twice (columns 1 and 2)");
  }

  @Test
  void read_emptyFileOrNoRows_rejected() throws IOException {
    Path empty = csv("empty.csv", "\n  \n");
    Path headerOnly = csv("h.csv", "a,y\n");
    assertThatThrownBy(() -> CsvReader.classification("y").read(empty)).hasMessageContaining("header row is required");
    assertThatThrownBy(() -> CsvReader.classification("y").read(headerOnly)).hasMessageContaining("no data rows");
  }

  @Test
  void read_onlyLabelColumn_rejected() throws IOException {
    Path f = csv("o.csv", "y\na\nb\n");
    assertThatThrownBy(() -> CsvReader.classification("y").read(f)).hasMessageContaining("no feature columns");
  }

  @Test
  void withDelimiter_quote_rejected() {
    assertThatThrownBy(() -> CsvReader.classification("y").withDelimiter('"'))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
