package dev.parley.client;

import dev.parley.client.internal.CallFuture;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends a module's plain JSON-RPC requests by the rule of {@link Resend}: a request that never left
 * the client goes again (at once on a new connection when a pooled one was found closed, after a wait
 * while connections are refused), an idempotent one that failed after it was written goes once more,
 * and a module that answers {@code 503} with {@code Parley-Draining} (it is stopping and ran
 * nothing, PROTOCOL.md §15.7) is tried again after a wait. All within the call's budget.
 */
final class PlainSender {
  /** Pooled connections found closed one after another before the sender waits between attempts. */
  private static final int MAX_IMMEDIATE = 2;

  private final Transport transport;
  private final String urlText;
  private final Events events;

  PlainSender(Transport transport, String urlText, Events events) {
    this.transport = transport;
    this.urlText = urlText;
    this.events = events;
  }

  private static final class Attempts {
    final CallBudget budget;
    final boolean idempotent;
    boolean resent;
    int immediate;

    Attempts(CallBudget budget, boolean idempotent) {
      this.budget = budget;
      this.idempotent = idempotent;
    }
  }

  /**
   * Sends {@code request}. The future completes with the answer to read (any status but a draining
   * 503), or fails with the {@link dev.parley.TransportException} to report. Cancelling
   * {@code owner} (may be null) cancels the HTTP call in flight.
   */
  CompletableFuture<Response> send(Request.Builder request, String what, boolean idempotent, boolean sync, CallFuture<?> owner) {
    return attempt(new Attempts(transport.newBudget(), idempotent), request, what, sync, owner);
  }

  private CompletableFuture<Response> attempt(Attempts a, Request.Builder request, String what, boolean sync, CallFuture<?> owner) {
    return transport.send(request, a.budget, sync, owner == null ? call -> { } : owner::replaceCall)
        .handle((response, error) -> {
          if (error != null) {
            return failed(a, request, what, sync, owner, SecureCalls.unwrap(error));
          }
          if (response.code() == 503 && response.header(ClientModule.DRAINING_HEADER) != null) {
            response.close();
            // PROTOCOL.md §15.7: the module is stopping and ran nothing. A plain answer proves nothing
            // (no key), so it is trusted as every plain answer is, but never reported as "not run".
            a.budget.maybeRan = true;
            return transport.later(a.budget, sync, what, urlText + " is stopping (HTTP 503, Parley-Draining)",
                () -> attempt(a, request, what, sync, owner));
          }
          return CompletableFuture.completedFuture(response);
        })
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Response> failed(Attempts a, Request.Builder request, String what, boolean sync, CallFuture<?> owner,
      Throwable error) {
    if (!(error instanceof Transport.SendFailure f)) {
      return CompletableFuture.failedFuture(error);
    }
    if (!f.canceled) {
      events.connectionLost(f.io);
    }
    switch (Resend.after(f.io, f.written, f.canceled)) {
      case NOW:
        if (a.immediate++ < MAX_IMMEDIATE) {
          transport.evictIdle();
          return attempt(a, request, what, sync, owner);
        }
        // fall through: several closed connections in a row, the server is likely restarting
      case LATER:
        if (!transport.waitsForServer()) {
          break;   // fails at once: it was not sent
        }
        return transport.later(a.budget, sync, what, "cannot reach " + urlText + " (" + Failures.detail(f.io) + ")",
            () -> attempt(a, request, what, sync, owner));
      case IF_IDEMPOTENT:
        if (a.idempotent && !a.resent) {
          a.resent = true;
          a.budget.maybeRan = true;
          return attempt(a, request, what, sync, owner);
        }
        break;
      default:
        break;
    }
    return CompletableFuture.failedFuture(Failures.io(f.io, urlText, what, false, sync,
        Resend.outcome(a.budget, f.written, f.io)));
  }
}
