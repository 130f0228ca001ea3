package dev.cohort.cli;

/** A failure the user can act on (a missing dataset, an unreadable file); printed as one line. */
final class UserFacingException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  UserFacingException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
