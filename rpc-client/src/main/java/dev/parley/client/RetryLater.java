package dev.parley.client;

/**
 * A reason to try a call again after a wait: it was not sealed yet (its handshake or the session
 * probe could not be completed: the server is unreachable, stopping, or answered a handshake message
 * with 403, 502, 503 or 504), so nothing of it reached a server. {@link Transport#later} turns it into
 * a wait, within the call's budget.
 */
final class RetryLater extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RetryLater(String why) {
    super(why, null, false, false);
  }
}
