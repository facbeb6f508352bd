package dev.parley.client;

import dev.parley.TransportException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import okio.Buffer;

/**
 * How one module delivers a JSON-RPC body and gets its answer: in plain JSON-RPC over HTTP
 * ({@link PlainExchange}) or sealed on an encrypted session ({@link SealedExchange}). Both send
 * again by the one rule of {@link Resend}, within the call's budget ({@link CallBudget}).
 */
interface Exchange {
  /**
   * Sends {@code json} (a call, a notification or a batch) and completes with its answer, which the
   * caller closes; or fails with the {@link dev.parley.TransportException} to report, unwrapped. A
   * synchronous exchange has completed when this returns. Cancelling the future cancels the HTTP
   * call in flight.
   *
   * @param call the call: its function's name for events ({@code "batch of N"} for a batch), whether it
   *     is idempotent, its timeout (sent as the deadline), trace context and interceptors' attempt hooks
   * @param what the call as messages name it ({@code 'add'}, {@code a batch of 3})
   * @param expectsAnswer a call, or a batch holding one: an answer without a body is an error
   */
  CompletableFuture<Answer> send(Buffer json, ClientCall call, String what, boolean expectsAnswer, boolean sync);

  /** The value of a completed synchronous exchange, or its exception rethrown on the caller's thread. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = Failures.unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new TransportException("the call failed: " + cause, cause);
    }
  }

  /** {@code read} applied to the exchange's answer, in a future whose cancelling cancels the exchange. */
  static <T> CompletableFuture<T> map(CompletableFuture<Answer> exchange, Function<Answer, T> read) {
    CompletableFuture<T> out = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
          exchange.cancel(mayInterruptIfRunning);
        }
        return cancelled;
      }
    };
    exchange.whenComplete((answer, error) -> {
      if (error != null) {
        out.completeExceptionally(Failures.unwrap(error));
        return;
      }
      try {
        out.complete(read.apply(answer));
      } catch (RuntimeException | Error e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }
}
