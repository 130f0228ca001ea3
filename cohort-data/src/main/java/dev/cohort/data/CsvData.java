package dev.cohort.data;

import java.util.List;
import java.util.Objects;

/**
 * What {@link CsvReader} read: the dataset plus the names needed to interpret it.
 *
 * @param dataset the examples, each of shape {@code [featureNames.size()]}
 * @param featureNames the feature columns in header order (the label column left out)
 * @param labelColumn the name of the label or target column
 * @param classNames for classification, the original label values by class index (sorted, see
 *     {@link CsvReader}); empty for regression
 */
public record CsvData(Dataset dataset, List<String> featureNames, String labelColumn, List<String> classNames) {
  public CsvData {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(labelColumn, "labelColumn");
    featureNames = List.copyOf(featureNames);
    classNames = List.copyOf(classNames);
  }

  /** The class index of the original label value {@code value}, or -1 if it did not occur. */
  public int classIndex(String value) {
    return classNames.indexOf(value);
  }
}
