package dev.parley.client;

import dev.parley.RpcException;
import dev.parley.TransportException;
import dev.parley.client.internal.JsonBody;
import dev.parley.internal.jsonrpc.ClientRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okio.Buffer;

/**
 * RTC's AutoLogin (docs/CLIENT.md "Auto-login"): a login call made on each new encrypted session
 * before any other call is sealed on it. One login per session at a time; the calls that need the
 * session meanwhile wait for it (sync callers on their thread, async ones chained). A login that
 * landed on a session that was replaced meanwhile (a repost after a 410, a new handshake) counts for
 * nothing: the waiting calls look again and log in on the new session first.
 */
final class AutoLogin {
  /** How a login call is sent: sealed on {@code session} only (pinned), never on another one. */
  interface Sender {
    CompletableFuture<Answer> sendLogin(Buffer json, String function, ClientSession session, boolean sync);
  }

  /** The login call met another session than the one it was made for: that one is gone. */
  static final class SessionReplaced extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SessionReplaced() {
      super("the session was replaced", null, false, false);
    }
  }

  private final String function;
  private final Supplier<?> params;
  private final String urlText;
  private final Events events;
  /** Login calls get ids of their own, below 0, apart from the module's calls. */
  private final AtomicLong ids = new AtomicLong(-1);

  AutoLogin(String function, Supplier<?> params, String urlText, Events events) {
    this.function = function;
    this.params = params;
    this.urlText = urlText;
    this.events = events;
  }

  String function() {
    return function;
  }

  /**
   * Completes once {@code session} is logged in, or turned out replaced (the caller then looks for
   * the current session again); fails with {@link LoginFailedException}.
   */
  CompletableFuture<Void> ensure(ClientSession session, boolean sync, CallBudget budget, String what, Sender sender) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = session.login.compareAndExchange(null, mine);
    if (running != null) {
      return sync ? await(running, budget, what) : running;
    }
    if (session.loggedIn) {
      // Another caller's login ended between this caller's check and now.
      session.login.compareAndSet(mine, null);
      mine.complete(null);
      return mine;
    }
    long id = ids.getAndDecrement();
    Buffer json;
    try {
      json = JsonBody.buffer(ClientRequest.call(id, function, params.get()));
    } catch (RuntimeException e) {
      // The hook's own failure: its message may hold what it was building, so it is not repeated.
      TransportException cause = new TransportException("the login parameters for '" + function
          + "' could not be made or written (" + e.getClass().getSimpleName() + ")", null);
      failed(session, mine, cause, what);
      return mine;
    }
    sender.sendLogin(json, function, session, sync).whenComplete((answer, error) -> {
      if (error != null) {
        Throwable t = Failures.unwrap(error);
        if (t instanceof SessionReplaced) {
          session.login.compareAndSet(mine, null);
          mine.complete(null);
          return;
        }
        failed(session, mine, t instanceof RpcException r ? r
            : new TransportException("the login '" + function + "' failed: " + t, t), what);
        return;
      }
      try {
        answer.result(id, Object.class, urlText, "the login '" + function + "'", sync);
      } catch (RpcException e) {
        failed(session, mine, e, what);
        return;
      }
      session.loggedIn = true;   // before the login is cleared: a caller never sees neither
      session.login.compareAndSet(mine, null);
      events.login(session.sid);
      mine.complete(null);
    });
    return mine;
  }

  private void failed(ClientSession session, CompletableFuture<Void> login, RpcException cause, String what) {
    session.login.compareAndSet(login, null);
    events.loginFailed(session.sid, cause);
    login.completeExceptionally(new LoginFailedException("the login '" + function + "' at " + urlText
        + " failed (" + cause.getMessage() + "), so " + what + " was not sent", cause));
  }

  /** A synchronous caller waits for another caller's login on its own thread, within its budget. */
  private static CompletableFuture<Void> await(CompletableFuture<Void> running, CallBudget budget, String what) {
    try {
      running.get(Math.max(1, budget.remainingNanos()), TimeUnit.NANOSECONDS);
      return CompletableFuture.completedFuture(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new TransportException(what + " was interrupted while waiting for the"
          + " login; it was not sent", 0, Resend.notRun(budget), e));
    } catch (ExecutionException e) {
      return CompletableFuture.failedFuture(e.getCause());
    } catch (TimeoutException e) {
      return CompletableFuture.failedFuture(new RetryLater("the login took too long"));
    }
  }
}
