package dev.cohort.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Round measurements as a JSON object; non-finite values become {@code null} and come back as NaN. */
final class MeasurementsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MeasurementsJson() {}

  static String write(Map<String, Double> measurements) {
    ObjectNode node = MAPPER.createObjectNode();
    measurements.forEach((k, v) -> {
      if (Double.isFinite(v)) {
        node.put(k, v);
      } else {
        node.putNull(k);
      }
    });
    return node.toString();
  }

  static Map<String, Double> read(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored measurements are not JSON: " + json, e);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    node.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN));
    return m;
  }
}
