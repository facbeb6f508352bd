package dev.parley.server;

import dev.parley.CallContext;
import java.util.concurrent.CompletionStage;

/**
 * Code that runs around every call of a module's functions (a call inside a batch counts as one
 * call): it sees the call's {@link CallContext}, may answer in the function's place, may change what
 * the function's result or failure becomes, and learns the outcome. Registered with
 * {@link ServerModule.Builder#interceptors}; the first one registered is the outermost.
 *
 * <p>{@link #intercept} wraps the call: {@code next.proceed()} runs the inner interceptors and the
 * function and returns a stage of its result, for synchronous and asynchronous functions alike (a
 * synchronous function has run, on this thread, when {@code proceed()} returns). Return that stage,
 * or one derived from it; its value is answered as the result, its failure as the function's would be
 * ({@link dev.parley.RemoteException} as given, a declared typed error with its code, anything else
 * as -32000 with a generic message, logged; docs/ERRORS.md).
 *
 * <ul>
 *   <li><b>Answer in the function's place</b> (short-circuit): return a stage without calling
 *       {@code proceed()}, for example {@code CompletableFuture.completedFuture(cached)}, or throw a
 *       {@code RemoteException}. The function does not run.
 *   <li><b>Turn a failure into a result or another error</b>: {@code next.proceed().handle(...)} or
 *       {@code exceptionally(...)} on the stage {@code proceed()} returned; the failure is the
 *       exception the function threw (or failed its future with), not yet turned into an answer
 *       (on a stage derived from it, Java wraps it in a {@code CompletionException}).
 *   <li><b>Observe the outcome</b>: {@link #onComplete} receives the result or the error code
 *       answered, the duration, and the request and response sizes where known.
 * </ul>
 *
 * <p>RealThinClient's function-group hooks (before, after, on error) as one interceptor:
 *
 * <pre>{@code
 * ServerInterceptor hooks = (call, next) -> {
 *   if (call.session().attribute("user", String.class).isEmpty() && !call.function().equals("login")) {
 *     throw new RemoteException(4010, "log in first");          // before: answered, nothing runs
 *   }
 *   return next.proceed().handle((result, failure) -> {
 *     if (failure == null) {                                      // after
 *       audit.ran(call.function());
 *       return result;
 *     }
 *     if (failure instanceof NoSuchElementException) {            // on error ...
 *       return null;                                              // ... into a result
 *     }
 *     throw new RemoteException(4000, "could not " + call.function());   // ... into an error
 *   });
 * };
 * ServerModule module = ServerModule.builder("/calc").functions(functions).interceptors(hooks).build();
 * }</pre>
 *
 * <p><b>Exceptions.</b> An exception an interceptor throws (or fails its stage with) is the call's
 * failure, answered like a function's: a {@code RemoteException} as given, anything else as -32000
 * {@code Server error} (its message only with {@code exposeErrorMessages}), logged at WARN with its
 * stack trace. An exception {@link #onComplete} throws is logged at WARN and ignored: the answer is
 * made by then.
 *
 * <p><b>Threads.</b> {@code intercept} runs on the thread that serves the call (a Jetty pool thread,
 * or an I/O thread in a {@linkplain ServerModule.Builder#nonBlocking non-blocking} module, where it
 * must not block either); stages derived from an asynchronous function's run where that function
 * completes. Call {@code proceed()} at most once: a second call fails. A module with no interceptor
 * pays nothing for the mechanism.
 */
@FunctionalInterface
public interface ServerInterceptor {
  /**
   * Runs around one call.
   *
   * @param call the call's context (also what a {@code CallContext} parameter receives)
   * @param next runs the rest of the chain and the function
   * @return a stage of the call's result (for a notification the value is ignored)
   * @throws Exception the call's failure (see the class comment)
   */
  CompletionStage<?> intercept(CallContext call, Next next) throws Exception;

  /**
   * Called once per intercepted call when its answer is made (for a notification: when its outcome
   * is known; for a batch: when the whole batch's answer is), before the answer is written: keep it
   * short (count, record a latency, end a span). Not called when a JVM {@code Error} ends the
   * request (answered 500). The default does nothing.
   */
  default void onComplete(CallContext call, CallResult result) {}

  /** The rest of the chain: the next interceptor, and finally the function. */
  @FunctionalInterface
  interface Next {
    /**
     * Runs the rest of the chain once. The stage completes with the function's result (null for
     * {@code void}), or fails with what it threw, with
     * {@link dev.parley.RemoteException#DEADLINE_EXCEEDED} when the caller's deadline passed, or
     * with an {@link IllegalStateException} when called a second time.
     */
    CompletionStage<Object> proceed();
  }
}
