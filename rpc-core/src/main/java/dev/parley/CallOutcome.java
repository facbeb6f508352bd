package dev.parley;

/**
 * What a failed call is known to have done on the server: the answer to "may I simply call it
 * again?". Every {@link TransportException} says which ({@link TransportException#outcome()}).
 *
 * <pre>{@code
 * try {
 *   orders.place(order);
 * } catch (TransportException e) {
 *   if (e.outcome() == CallOutcome.NOT_RUN) {
 *     orders.place(order);              // safe: it provably did not run
 *   } else {
 *     reconcile(order);                 // it may have run (once): check before calling again
 *   }
 * }
 * }</pre>
 */
public enum CallOutcome {
  /**
   * The call provably did not run and never will: the request never left the client (the
   * connection was refused, or found closed before anything was written), or, for an encrypted
   * module, the server instance that holds the session proved it with a key (a verified 410
   * reject, or the sealed draining answer of a stopping server). Calling again is safe.
   */
  NOT_RUN,
  /**
   * The request may have reached a server, and nothing proves what happened: it may have run once.
   * Statuses no key authenticates (400, 404, 412, 5xx), resets after the request was written,
   * timeouts and unverifiable 410s all end here. Check the server's state before calling again,
   * unless the function is idempotent.
   */
  UNKNOWN
}
