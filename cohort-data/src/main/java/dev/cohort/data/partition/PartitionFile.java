package dev.cohort.data.partition;

import dev.cohort.data.MalformedDataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an {@link Assigned} partition from a text file: one line per client, in client order,
 * holding that client's dataset indices (0-based, in the dataset's own order) separated by commas
 * or white space. Blank lines and lines starting with {@code #} are skipped. A line that is not a
 * list of indices is an error naming the file, line and token; whether the indices fit the dataset
 * is checked when partitioning.
 */
public final class PartitionFile {
  private PartitionFile() {}

  /** The partition in {@code file}. */
  public static Assigned read(Path file) throws IOException {
    List<int[]> clients = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        String[] tokens = text.split("[,\\s]+");
        int[] indices = new int[tokens.length];
        for (int t = 0; t < tokens.length; t++) {
          try {
            indices[t] = Integer.parseInt(tokens[t]);
          } catch (NumberFormatException e) {
            throw new MalformedDataException(file, "line " + lineNumber + ", item " + (t + 1) + ": \""
                + tokens[t] + "\" is not an example index");
          }
        }
        clients.add(indices);
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "partition file not found");
    }
    if (clients.isEmpty()) {
      throw new MalformedDataException(file, "lists no clients (expected one line of example indices per client)");
    }
    return new Assigned(file.getFileName().toString(), clients.toArray(int[][]::new));
  }
}
