package dev.parley;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * What a generated client stub calls. {@code ClientModule} (rpc-client) implements it; stubs depend
 * only on this interface, so they compile against rpc-core alone.
 *
 * <p>{@code params} is a {@code Map<String, ?>} (by name, the form generated stubs use), a
 * {@code List<?>} or {@code Object[]} (by position), or null for no params. Implementations are
 * thread-safe.
 */
public interface RemoteCaller {
  /**
   * A caller whose calls have the per-call timeout {@code timeout}: each call gives up after it (all
   * its attempts included), and the server learns it as the call's deadline, so that it stops the
   * function when the caller stops waiting (docs/CLIENT.md "Per-call timeouts and deadlines"). The
   * view shares everything else (connections, session) with this caller. Generated stubs offer the
   * same as {@code withTimeout(Duration)}.
   *
   * <pre>{@code
   * Report r = new ReportsClient(module.withTimeout(Duration.ofSeconds(2))).report(2025);
   * }</pre>
   *
   * @throws IllegalArgumentException {@code timeout} is zero, negative or longer than 2^31 − 1 ms
   * @throws UnsupportedOperationException this caller cannot send deadlines (the default)
   */
  default RemoteCaller withTimeout(Duration timeout) {
    throw new UnsupportedOperationException(getClass().getName() + " does not support per-call timeouts");
  }

  /**
   * Calls {@code function} and waits for its result, decoded as {@code resultType}
   * ({@code void.class} or {@code Void.class} to ignore it).
   *
   * @throws RemoteException the server answered with a JSON-RPC error
   * @throws TransportException the call did not complete at the HTTP level
   */
  <T> T call(String function, Object params, Type resultType, boolean idempotent);

  /**
   * Calls {@code function} without blocking. The future completes with the decoded result, or
   * exceptionally with the same {@link RpcException} types {@link #call} throws. Cancelling the
   * future cancels the HTTP call.
   */
  <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent);

  /**
   * {@link #callAsync(String, Object, Type, boolean)}, but a {@link RemoteException} answer completes
   * the future with what {@code errors} makes of it instead: generated stubs pass the function that
   * rebuilds its declared {@link RemoteError} exceptions (returning the {@code RemoteException}
   * itself, or null, keeps it). Cancelling the returned future cancels the HTTP call.
   */
  default <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent,
      Function<? super RemoteException, ? extends Throwable> errors) {
    CompletableFuture<T> call = callAsync(function, params, resultType, idempotent);
    CompletableFuture<T> typed = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        call.cancel(mayInterruptIfRunning);
        return super.cancel(mayInterruptIfRunning);
      }
    };
    call.whenComplete((result, failure) -> {
      if (failure == null) {
        typed.complete(result);
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      Throwable answer = cause instanceof RemoteException remote ? errors.apply(remote) : null;
      typed.completeExceptionally(answer != null ? answer : cause);
    });
    return typed;
  }
}
