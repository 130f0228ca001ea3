package dev.cohort.observe;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads samples back from text exposition format 0.0.4 (enough of it for these tests). */
final class Exposition {
  private Exposition() {}

  /** Every sample line as series (name with its label set, as written) to value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String value = line.substring(space + 1);
      out.put(line.substring(0, space), switch (value) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(value);
      });
    }
    return out;
  }
}
