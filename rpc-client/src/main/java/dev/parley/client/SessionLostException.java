package dev.parley.client;

import dev.parley.TransportException;

/**
 * The server no longer knew the encrypted session (HTTP 410: the session expired, was evicted or
 * the server restarted) and the call was not sent again: the 410 could not be verified and the
 * function is not idempotent, {@code autoRepost} is off, or the one repost also got a 410. The next
 * call runs a new handshake.
 *
 * <p>{@link #knownNotRun()} says whether the call is known not to have run (the 410 was verified
 * under the SecureKey); then it is safe to call again. Otherwise the outcome is unknown: check the
 * server's state before calling again. The message says the same.
 *
 * <pre>{@code
 * try {
 *   orders.place(order);
 * } catch (SessionLostException e) {
 *   if (e.knownNotRun()) {
 *     orders.place(order);          // safe: it did not run
 *   }
 * }
 * }</pre>
 */
public final class SessionLostException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final boolean knownNotRun;

  SessionLostException(String message, boolean knownNotRun) {
    super(message, 410, null);
    this.knownNotRun = knownNotRun;
  }

  /** True when the server proved (authenticated 410) that it did not run the call. */
  public boolean knownNotRun() {
    return knownNotRun;
  }
}
