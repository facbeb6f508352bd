package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.RpcTimeoutException;
import dev.parley.TransportException;
import dev.parley.client.internal.SendState;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One module's HTTP attempts: each on the caller's thread (synchronous calls) or on OkHttp's
 * dispatcher (asynchronous ones), each bounded by what is left of its call's budget, each reporting
 * whether its request may have been written ({@link SendFailure}); and the waits between attempts.
 */
final class Transport {
  private final OkHttpClient http;
  private final String urlText;
  private final boolean waitForServer;
  /** Pooled connections found closed one after another before a call waits between attempts. */
  static final int MAX_IMMEDIATE = 2;

  Transport(OkHttpClient http, String urlText, boolean waitForServer) {
    this.http = http;
    this.urlText = urlText;
    this.waitForServer = waitForServer;
  }

  /** Whether a call waits and tries again while the server refuses connections or is stopping. */
  boolean waitsForServer() {
    return waitForServer;
  }

  OkHttpClient http() {
    return http;
  }

  /** An attempt that failed without an answer: its exception, and whether the request may have been written. */
  static final class SendFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient IOException io;
    final boolean written;
    final boolean canceled;

    SendFailure(IOException io, boolean written, boolean canceled) {
      super(io.getMessage(), io, false, false);
      this.io = io;
      this.written = written;
      this.canceled = canceled;
    }
  }

  /**
   * Sends the request {@code request} builds, once (the builder may be used again for another
   * attempt). The future completes with the response, or fails with a {@link SendFailure} (or a
   * {@link TransportException} if the thread was interrupted). {@code current} learns each OkHttp
   * call, so that cancelling the owner can cancel it.
   */
  CompletableFuture<Response> send(Request.Builder request, CallBudget budget, boolean sync, Consumer<Call> current) {
    SendState state = new SendState();
    Call call = http.newCall(request.tag(SendState.class, state).build());
    if (budget.limited()) {
      call.timeout().timeout(Math.max(1, budget.remainingNanos()), TimeUnit.NANOSECONDS);
    }
    current.accept(call);
    if (sync) {
      try {
        return CompletableFuture.completedFuture(call.execute());
      } catch (IOException e) {
        return CompletableFuture.failedFuture(new SendFailure(e, state.writeStarted(), call.isCanceled()));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      } catch (Exception e) {   // OkHttp throws InterruptedException undeclared
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        return CompletableFuture.failedFuture(new TransportException("a call to " + urlText + " was interrupted", 0,
            state.writeStarted() ? CallOutcome.UNKNOWN : CallOutcome.NOT_RUN, e));
      }
    }
    CompletableFuture<Response> f = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        f.completeExceptionally(new SendFailure(e, state.writeStarted(), c.isCanceled()));
      }

      @Override
      public void onResponse(Call c, Response response) {
        f.complete(response);
      }
    });
    return f;
  }

  /**
   * Runs {@code next} after the budget's next wait (sleeping on this thread for a synchronous call),
   * or fails with an {@link RpcTimeoutException} when the budget leaves no room for another attempt
   * (at once, with a {@link TransportException}, when the client does not wait for the server):
   * {@code why} says what kept failing.
   */
  <T> CompletableFuture<T> later(CallBudget budget, boolean sync, String what, String why,
      Supplier<CompletableFuture<T>> next) {
    if (!waitForServer) {
      return CompletableFuture.failedFuture(new TransportException(what + " at " + urlText + ": " + why + "; "
          + (budget.maybeRan ? "an earlier attempt may have run, so whether it ran is unknown" : "it did not run")
          + " (this client does not wait for the server: waitForServer is off)", 0, Resend.notRun(budget), null));
    }
    long wait = budget.nextWaitMillis();
    if (wait < 0) {
      return CompletableFuture.failedFuture(new RpcTimeoutException(what + " at " + urlText + " gave up within "
          + budget.description() + ": " + why + "; " + (budget.maybeRan ? "an earlier attempt may have run, so whether it"
          + " ran is unknown" : "it did not run"), Resend.notRun(budget), null));
    }
    if (sync) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableFuture.failedFuture(new TransportException(what + " at " + urlText + " was interrupted while"
            + " waiting to try again (" + why + ")", 0, Resend.notRun(budget), e));
      }
      return next.get();
    }
    Executor delayed = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(next, delayed).thenCompose(f -> f);
  }

  /**
   * After an attempt of a call failed without an answer, the one rule of {@link Resend}: {@code again}
   * at once on a new connection (a pooled connection found closed, at most {@value #MAX_IMMEDIATE}
   * times in a row, then after waits), after a wait (the server refuses connections), once more for
   * an idempotent call whose request may have been written, or the failure to report with its
   * outcome. Each attempt {@code again} makes is a new request (a sealed one is sealed anew, §11).
   */
  <T> CompletableFuture<T> afterFailure(CallBudget budget, Throwable error, boolean sync, String what, Events events,
      Supplier<CompletableFuture<T>> again) {
    if (!(error instanceof SendFailure f)) {
      return CompletableFuture.failedFuture(error);
    }
    if (!f.canceled) {
      events.connectionLost(f.io);
    }
    Resend.Next next = Resend.after(f.io, f.written, f.canceled);
    if (next == Resend.Next.NOW) {
      if (budget.immediate++ < MAX_IMMEDIATE) {
        evictIdle();
        return again.get();
      }
      next = Resend.Next.LATER;   // several closed connections in a row: the server is likely restarting
    }
    if (next == Resend.Next.LATER && waitForServer) {
      return later(budget, sync, what, "cannot reach " + urlText + " (" + Failures.detail(f.io) + ")", again);
    }
    if (next == Resend.Next.IF_IDEMPOTENT && budget.idempotent && !budget.resent) {
      budget.resent = true;
      budget.maybeRan = true;
      return again.get();
    }
    // Fails: not sent (LATER without waitForServer, FAIL before writing), or its outcome is unknown.
    return CompletableFuture.failedFuture(Failures.io(f.io, urlText, what, false, sync,
        Resend.outcome(budget, f.written, f.io), timeoutName(f.io, budget)));
  }

  /** Which timeout a timed-out attempt ran into, with its value, for the message. */
  private String timeoutName(IOException e, CallBudget budget) {
    if (!(e instanceof java.net.SocketTimeoutException)) {
      return budget.description();
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("connect")) {
      return "the connect timeout (" + http.connectTimeoutMillis() + " ms)";
    }
    return "the read timeout (" + http.readTimeoutMillis() + " ms) or the write timeout (" + http.writeTimeoutMillis()
        + " ms)";
  }

  /** Closes the pool's idle connections (after one was found closed by the server: the others likely are too). */
  void evictIdle() {
    http.connectionPool().evictAll();
  }
}
