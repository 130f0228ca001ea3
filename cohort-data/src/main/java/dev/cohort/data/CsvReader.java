package dev.cohort.data;

import dev.cohort.tensor.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a table of numeric features with one label column from a CSV file into a {@link Dataset}
 * whose examples have shape {@code [numFeatures]}, the non-label columns in header order.
 *
 * <pre>{@code
 * CsvData credit = CsvReader.classification("default").read(Path.of("credit.csv"));
 * Dataset train = credit.dataset();
 * }</pre>
 *
 * <p>The first non-blank line is the header and must name every column once. Blank lines are
 * skipped. Fields are separated by the delimiter (',' unless set), surrounding spaces are
 * ignored, and a field may be double-quoted ({@code ""} inside quotes is one quote); a quoted
 * field cannot span lines. Feature values must be finite decimal numbers such as {@code -1.5e3}:
 * an empty field, {@code NaN} or {@code abc} is an error naming the file, line and column.
 *
 * <p>For classification the label column may hold any strings. Its distinct values, sorted,
 * become classes 0..k-1: numerically when every value is a number ({@code 2 < 10}), otherwise
 * as strings; {@link CsvData#classNames()} keeps the mapping. For regression the column must be
 * numeric and becomes one float target per example.
 *
 * <p>Immutable and thread-safe.
 */
public final class CsvReader {
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final String labelColumn;
  private final boolean classification;
  private final char delimiter;

  private CsvReader(String labelColumn, boolean classification, char delimiter) {
    this.labelColumn = Objects.requireNonNull(labelColumn, "labelColumn");
    if (labelColumn.isBlank()) {
      throw new IllegalArgumentException("labelColumn must not be blank");
    }
    this.classification = classification;
    this.delimiter = delimiter;
  }

  /** A reader whose {@code labelColumn} holds class labels. */
  public static CsvReader classification(String labelColumn) {
    return new CsvReader(labelColumn, true, ',');
  }

  /** A reader whose {@code targetColumn} holds a numeric regression target. */
  public static CsvReader regression(String targetColumn) {
    return new CsvReader(targetColumn, false, ',');
  }

  /** This reader with another field delimiter, such as ';' or '\t'. */
  public CsvReader withDelimiter(char delimiter) {
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      throw new IllegalArgumentException("delimiter must not be a quote or line break but was "
          + (int) delimiter);
    }
    return new CsvReader(labelColumn, classification, delimiter);
  }

  /** Reads {@code file}; the dataset is named after the file name without its extension. */
  public CsvData read(Path file) throws IOException {
    List<String> header = null;
    int labelIndex = -1;
    int lineNo = 0;
    FloatList features = new FloatList();
    List<String> labelValues = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        List<String> fields = split(line, file, lineNo);
        if (header == null) {
          header = checkHeader(fields, file, lineNo);
          labelIndex = header.indexOf(labelColumn);
          if (labelIndex < 0) {
            throw new MalformedDataException(file, "no column '" + labelColumn + "' in the header "
                + header + " on line " + lineNo);
          }
          if (header.size() < 2) {
            throw new MalformedDataException(file, "the header on line " + lineNo
                + " has only the label column '" + labelColumn + "' and no feature columns");
          }
          continue;
        }
        if (fields.size() != header.size()) {
          throw new MalformedDataException(file, "line " + lineNo + " has " + fields.size()
              + " fields but the header has " + header.size());
        }
        for (int c = 0; c < fields.size(); c++) {
          if (c == labelIndex) {
            String v = fields.get(c);
            if (!classification) {
              parse(v, file, lineNo, header.get(c));
            } else if (v.isEmpty()) {
              throw new MalformedDataException(file, "line " + lineNo + ", column '" + header.get(c)
                  + "': the label is empty");
            }
            labelValues.add(v);
          } else {
            features.add(parse(fields.get(c), file, lineNo, header.get(c)));
          }
        }
      }
    }
    if (header == null) {
      throw new MalformedDataException(file, "is empty; a header row is required");
    }
    if (labelValues.isEmpty()) {
      throw new MalformedDataException(file, "has a header but no data rows");
    }
    List<String> featureNames = new ArrayList<>(header);
    featureNames.remove(labelIndex);
    String name = datasetName(file);
    Shape shape = Shape.of(featureNames.size());
    if (!classification) {
      float[] targets = new float[labelValues.size()];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = Float.parseFloat(labelValues.get(i));
      }
      return new CsvData(Dataset.regression(name, shape, features.toArray(), targets, 1),
          featureNames, labelColumn, List.of());
    }
    List<String> classes = sortedClasses(labelValues);
    if (classes.size() < 2) {
      throw new MalformedDataException(file, "label column '" + labelColumn + "' has only one distinct value '"
          + classes.getFirst() + "'; classification needs at least 2");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int k = 0; k < classes.size(); k++) {
      index.put(classes.get(k), k);
    }
    int[] labels = new int[labelValues.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = index.get(labelValues.get(i));
    }
    return new CsvData(Dataset.classification(name, shape, features.toArray(), labels, classes.size()),
        featureNames, labelColumn, classes);
  }

  private static List<String> sortedClasses(List<String> values) {
    TreeSet<String> distinct = new TreeSet<>(values);
    if (distinct.stream().allMatch(v -> NUMBER.matcher(v).matches())) {
      List<String> numeric = new ArrayList<>(distinct);
      numeric.sort((a, b) -> {
        int c = Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        return c != 0 ? c : a.compareTo(b);
      });
      return numeric;
    }
    return new ArrayList<>(distinct);
  }

  private static List<String> checkHeader(List<String> fields, Path file, int lineNo)
      throws MalformedDataException {
    Map<String, Integer> seen = new HashMap<>();
    for (int c = 0; c < fields.size(); c++) {
      String name = fields.get(c);
      if (name.isEmpty()) {
        throw new MalformedDataException(file, "header on line " + lineNo + ": column " + (c + 1) + " has no name");
      }
      Integer before = seen.put(name, c);
      if (before != null) {
        throw new MalformedDataException(file, "header on line " + lineNo + ": column '" + name
            + "' appears twice (columns " + (before + 1) + " and " + (c + 1) + ")");
      }
    }
    return List.copyOf(fields);
  }

  private static float parse(String v, Path file, int lineNo, String column) throws MalformedDataException {
    if (!NUMBER.matcher(v).matches()) {
      throw new MalformedDataException(file, "line " + lineNo + ", column '" + column + "': '" + v
          + "' is not a number");
    }
    float f = Float.parseFloat(v);
    if (!Float.isFinite(f)) {
      throw new MalformedDataException(file, "line " + lineNo + ", column '" + column + "': '" + v
          + "' is outside the float range");
    }
    return f;
  }

  private List<String> split(String line, Path file, int lineNo) throws MalformedDataException {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && line.charAt(i) == ' ' && delimiter != ' ') {
        i++;
      }
      StringBuilder field = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        int start = i++;
        while (true) {
          if (i >= n) {
            throw new MalformedDataException(file, "line " + lineNo + ": the quote opened at character "
                + (start + 1) + " is never closed");
          }
          char ch = line.charAt(i++);
          if (ch == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(ch);
          }
        }
        while (i < n && line.charAt(i) == ' ' && delimiter != ' ') {
          i++;
        }
        if (i < n && line.charAt(i) != delimiter) {
          throw new MalformedDataException(file, "line " + lineNo + ": unexpected '" + line.charAt(i)
              + "' after the closing quote at character " + i);
        }
        out.add(field.toString());
      } else {
        int end = line.indexOf(delimiter, i);
        if (end < 0) {
          end = n;
        }
        out.add(line.substring(i, end).strip());
        i = end;
      }
      if (i >= n) {
        return out;
      }
      i++; // the delimiter
    }
  }

  private static String datasetName(Path file) {
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }

  @Override
  public String toString() {
    return "CsvReader[" + (classification ? "classification" : "regression") + ", label '" + labelColumn
        + "', delimiter '" + delimiter + "']";
  }

  /** A growable float array. */
  private static final class FloatList {
    private float[] data = new float[1024];
    private int size;

    void add(float v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
