package dev.parley.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Code that runs around a module's outgoing calls and around each HTTP attempt of a call (the first
 * and every re-send: docs/CLIENT.md "Outcomes and re-sends"). Registered with
 * {@link ClientModule.Builder#interceptors}; the first one registered is the outermost. Every method
 * has a default that does nothing, so an interceptor overrides only what it needs.
 *
 * <pre>{@code
 * ClientModule calc = ClientModule.builder(url).interceptors(new ClientInterceptor() {
 *   public CompletionStage<?> interceptCall(ClientCall call, Next next) {
 *     call.traceparent(currentTraceparent());              // sent with the call (sealed when encrypted)
 *     long start = System.nanoTime();
 *     return next.proceed().whenComplete((result, failure) -> latency.record(call.function(), System.nanoTime() - start));
 *   }
 *
 *   public void afterAttempt(ClientCall call, int attempt, int status, Throwable failure) {
 *     if (attempt > 1) resends.increment();
 *   }
 * }).build();
 * }</pre>
 *
 * <p>{@link #interceptCall} wraps a call or notification (a batch is not intercepted call by call;
 * its attempts are): {@code next.proceed()} sends it, with all its attempts, and returns a future of
 * its decoded result (null for a notification), or of its failure ({@link dev.parley.RemoteException},
 * {@link dev.parley.TransportException}, ...). Return that future or one derived from it: its value
 * is what the caller gets, its failure what the caller gets thrown. An interceptor may answer without
 * calling {@code proceed()} (nothing is sent), and must call it at most once. For a synchronous call
 * everything runs on the caller's thread; for an asynchronous one, stages complete on OkHttp's
 * threads.
 *
 * <p>{@link #beforeAttempt} and {@link #afterAttempt} run on the thread of the attempt, and must be
 * short; an exception from either is logged at WARN and ignored (the attempt goes on). A module with
 * no interceptor pays nothing for them.
 */
public interface ClientInterceptor {
  /**
   * Runs around one call (all its attempts). The default just proceeds.
   *
   * @return a stage of the call's result
   * @throws Exception the call's failure, as the caller gets it
   */
  default CompletionStage<?> interceptCall(ClientCall call, Next next) throws Exception {
    return next.proceed();
  }

  /** Called before each HTTP attempt of a call is sent; {@code attempt} counts from 1. */
  default void beforeAttempt(ClientCall call, int attempt) {}

  /**
   * Called when an attempt ended: with its HTTP status (any status, also one that leads to a
   * re-send), or status 0 and the {@code failure} that ended it without an answer (null otherwise).
   */
  default void afterAttempt(ClientCall call, int attempt, int status, Throwable failure) {}

  /** The rest of the chain: the next interceptor, and finally the call itself. */
  @FunctionalInterface
  interface Next {
    /**
     * Sends the call (at most once per {@code Next}): a future of its decoded result, or of its
     * failure; an {@link IllegalStateException} when called a second time.
     */
    CompletableFuture<Object> proceed();
  }
}
