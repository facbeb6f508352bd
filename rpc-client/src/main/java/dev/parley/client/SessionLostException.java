package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.TransportException;

/**
 * The server answered HTTP 410 (no session for the call: it expired, was evicted, or the request
 * reached a server instance that does not hold it) and the call was not sent again: the 410 could
 * not be verified and the function is not idempotent, {@code autoRepost} is off, or the one repost
 * also got a 410. The next call runs a new handshake.
 *
 * <p>{@link #outcome()} is {@link CallOutcome#NOT_RUN} only when the session's own server instance
 * proved that it did not run the call (PROTOCOL.md §13.3); then it is safe to call again. Otherwise
 * the outcome is unknown: check the server's state before calling again. The message says the same.
 *
 * <pre>{@code
 * try {
 *   orders.place(order);
 * } catch (SessionLostException e) {
 *   if (e.outcome() == CallOutcome.NOT_RUN) {
 *     orders.place(order);          // safe: it did not run
 *   }
 * }
 * }</pre>
 */
public final class SessionLostException extends TransportException {
  private static final long serialVersionUID = 1L;

  SessionLostException(String message, CallOutcome outcome) {
    super(message, 410, outcome, null);
  }
}
