package dev.cohort.cli;

import dev.cohort.cli.config.ConfigException;

/** A HOST:PORT address from the command line or the configuration. */
record HostPort(String host, int port) {
  static HostPort parse(String text, String what) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ConfigException(what + " must be HOST:PORT, got \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(what + " has a port that is not a number: \"" + text + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(what + " port must be in [0, 65535], got " + port);
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
