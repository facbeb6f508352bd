package dev.parley.server;

import dev.parley.RemoteException;
import java.time.Duration;

/**
 * The outcome of one call, as {@link ServerInterceptor#onComplete} learns it.
 *
 * <pre>{@code
 * public void onComplete(CallContext call, CallResult result) {
 *   timer(call.function(), result.succeeded() ? "ok" : String.valueOf(result.errorCode())).record(result.duration());
 * }
 * }</pre>
 *
 * @param result the function's result (null for {@code void}, or after a failure)
 * @param error the JSON-RPC error answered (for a notification: the one that would have been), or
 *     null after a success
 * @param failure what the function (or an interceptor) threw, before it became {@code error} (for a
 *     passed deadline: the {@code RemoteException} answered); null after a success
 * @param duration from when the first interceptor was entered to when the outcome was known
 * @param requestBytes the HTTP request body's size on the wire (a sealed call's frame; a plain
 *     call's {@code Content-Length}, compressed if it was), or -1 when unknown: a chunked body, or a
 *     call inside a batch
 * @param responseBytes the answer body's size: a sealed call's frame, a plain call's JSON before any
 *     gzip (0 for a notification); -1 for a call inside a batch
 */
public record CallResult(Object result, RemoteException error, Throwable failure, Duration duration,
    long requestBytes, long responseBytes) {
  /** True when the function returned normally (no error was, or would have been, answered). */
  public boolean succeeded() {
    return error == null;
  }

  /** The JSON-RPC error code answered, or 0 after a success. */
  public int errorCode() {
    return error == null ? 0 : error.code();
  }
}
