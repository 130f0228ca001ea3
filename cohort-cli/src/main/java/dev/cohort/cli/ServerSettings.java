package dev.cohort.cli;

import dev.cohort.cli.config.Config;
import dev.cohort.pki.FederationPki;
import dev.cohort.pki.PkiException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code cohort server} needs to listen and wait for its clients, read once from the checked
 * configuration and the command line (a command-line option wins over its {@code [server]} key).
 *
 * @param address where to listen
 * @param pkiDir the federation's certificate directory
 * @param federation the PKI opened from {@code pkiDir}
 * @param serverName the name on the server's certificate
 * @param maxMessageBytes the largest message accepted
 * @param replyBufferBytes replies being received are held within this many bytes, and replies that
 *     arrive before their turn within as many again (then on disk)
 * @param orderedReplies whether replies reach the round in request order
 * @param rejoinGrace how long a disconnected client's request waits for it to reconnect
 * @param waitFor how many clients must connect before the first round
 * @param connectTimeout how long to wait for them
 * @param roundWait before each round, how long to wait for clients that are reconnecting
 * @param metricsAt where to serve Prometheus metrics, or null for nowhere
 */
record ServerSettings(HostPort address, Path pkiDir, FederationPki federation, String serverName,
    long maxMessageBytes, long replyBufferBytes, boolean orderedReplies, Duration rejoinGrace, int waitFor,
    Duration connectTimeout, Duration roundWait, HostPort metricsAt) {

  /**
   * Reads the settings; {@code listen}, {@code pki} and {@code metrics} are the command-line
   * options, null when not given.
   *
   * @throws UserFacingException (exit status 2) if an address is malformed or the PKI cannot be opened
   */
  static ServerSettings from(Config c, String listen, Path pki, String metrics) {
    HostPort address = HostPort.parse(listen != null ? listen : c.string("server", "listen"), "--listen");
    Path pkiDir = pki != null ? pki : Path.of(c.string("server", "pki"));
    FederationPki federation;
    try {
      federation = FederationPki.open(pkiDir);
    } catch (PkiException e) {
      throw new UserFacingException(e.getMessage(), 2);
    }
    int waitFor = c.integer("server", "wait_for_clients") > 0 ? c.integer("server", "wait_for_clients")
        : c.integer("federation", "min_clients");
    String metricsAddress = metrics != null ? metrics : c.find("server", "metrics").map(Object::toString).orElse(null);
    return new ServerSettings(address, pkiDir, federation, c.string("server", "name"),
        (long) c.integer("server", "max_message_mb") << 20, (long) c.integer("server", "reply_buffer_mb") << 20,
        c.bool("server", "ordered_replies"), seconds(c.number("server", "rejoin_grace_seconds")), waitFor,
        seconds(c.number("server", "connect_timeout_seconds")), seconds(c.number("server", "round_wait_seconds")),
        metricsAddress == null ? null : HostPort.parse(metricsAddress, "--metrics"));
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis((long) (1000 * s));
  }
}
