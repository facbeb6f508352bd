package dev.parley.cli.internal;

/**
 * A failure the command explains in one message and ends with exit status 2 (a file that cannot
 * be written, a batch file that cannot be read): no stack trace, no usage hint.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliFailure(String message) {
    super(message, null, false, false);
  }
}
