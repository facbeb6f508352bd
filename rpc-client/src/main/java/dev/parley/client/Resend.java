package dev.parley.client;

import dev.parley.CallOutcome;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * The one rule for sending a call again after an attempt failed without an answer (docs/CLIENT.md
 * "Outcomes and re-sends"), shared by plain, sealed and batch calls.
 *
 * <ul>
 *   <li>The request provably never left the client because the pooled connection was found closed
 *       (or an HTTP/2 stream was refused unprocessed): send it again at once, on a new connection.
 *   <li>The connection was refused (or there is no route to the server): it did not run; wait and
 *       try again until the call's budget runs out (a server restarting, or not up yet).
 *   <li>Any other failure before the request was written (unknown host, TLS): it did not run; fail.
 *   <li>A failure after the request may have been written: the outcome is unknown; an idempotent call
 *       is sent once more, any other fails.
 * </ul>
 */
final class Resend {
  enum Next { NOW, LATER, IF_IDEMPOTENT, FAIL }

  private Resend() {}

  static Next after(IOException e, boolean written, boolean canceled) {
    if (canceled) {
      return Next.FAIL;
    }
    if (Failures.notSent(e)) {
      return Next.NOW;
    }
    if (!written) {
      return e instanceof ConnectException || e instanceof NoRouteToHostException ? Next.LATER : Next.FAIL;
    }
    return e instanceof InterruptedIOException || e instanceof javax.net.ssl.SSLException ? Next.FAIL : Next.IF_IDEMPOTENT;
  }

  /** The outcome of a call whose last attempt failed: {@code written} is that attempt's. */
  static CallOutcome outcome(CallBudget budget, boolean written, IOException e) {
    return budget.maybeRan || (written && !Failures.notSent(e)) ? CallOutcome.UNKNOWN : CallOutcome.NOT_RUN;
  }

  /** The outcome of a call whose last attempt was proven not run. */
  static CallOutcome notRun(CallBudget budget) {
    return budget.maybeRan ? CallOutcome.UNKNOWN : CallOutcome.NOT_RUN;
  }
}
