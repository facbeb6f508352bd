package dev.parley.cli.internal;

/**
 * A usage error found while the command runs (malformed JSON params, a batch entry without a
 * method): reported with its message and where help is, exit status 2. Nothing was sent.
 */
final class CliUsage extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliUsage(String message) {
    super(message, null, false, false);
  }
}
