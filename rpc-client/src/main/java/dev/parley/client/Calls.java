package dev.parley.client;

import dev.parley.RemoteException;
import dev.parley.client.internal.JsonBody;
import dev.parley.internal.jsonrpc.ClientRequest;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okio.Buffer;

/**
 * What {@link ClientModule}, {@link TimedCaller} and {@link Batch} do to send a call: number it,
 * write its JSON-RPC request, make its {@link ClientCall}, run it through the interceptors (when
 * there are any) and the module's {@link Exchange}, and read its result. One per module; {@code ids}
 * numbers its calls from 1.
 */
record Calls(ClientModule owner, Exchange exchange, URI uri, String urlText, Duration callTimeout,
    ClientInterceptor[] interceptors, AtomicLong ids) {
  /** A call's result, waited for; {@code timeout} is the per-call timeout (null: the module's callTimeout). */
  @SuppressWarnings("unchecked")
  <T> T call(String function, Object params, Type resultType, boolean idempotent, Duration timeout) {
    return (T) Exchange.join(start(function, params, resultType, idempotent, timeout, true));
  }

  /** A call's result, without blocking. */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent,
      Duration timeout) {
    return (CompletableFuture<T>) (CompletableFuture<?>) start(function, params, resultType, idempotent, timeout, false);
  }

  /** A notification: completes once the server accepted it. */
  CompletableFuture<Object> notify(String function, Object params, boolean sync) {
    Buffer body = JsonBody.buffer(ClientRequest.notification(checkFunction(function), params));
    String what = "notification '" + function + "'";
    ClientCall call = newCall(function, true, false, false, null);
    return intercepted(call, () -> Exchange.map(exchange.send(body, call, what, false, sync), answer -> {
      answer.close();
      return null;
    }));
  }

  private CompletableFuture<Object> start(String function, Object params, Type resultType, boolean idempotent,
      Duration timeout, boolean sync) {
    Objects.requireNonNull(resultType, "resultType == null");
    long id = nextId();
    String what = "'" + function + "'";
    Buffer body = JsonBody.buffer(ClientRequest.call(id, checkFunction(function), params));
    ClientCall call = newCall(function, false, false, idempotent, timeout);
    return intercepted(call, () -> Exchange.map(exchange.send(body, call, what, true, sync),
        answer -> result(answer, call, id, resultType, what, sync)));
  }

  /** {@code send} itself in a module without interceptors, else through them (docs/CLIENT.md "Interceptors"). */
  private CompletableFuture<Object> intercepted(ClientCall call, Supplier<CompletableFuture<Object>> send) {
    return interceptors.length == 0 ? send.get() : CallChain.run(call, send);
  }

  /** The answer's result, or its error thrown; the server's -32001 as the timeout it stands for. */
  private static Object result(Answer answer, ClientCall call, long id, Type resultType, String what, boolean sync) {
    try {
      return answer.result(id, resultType, call.moduleUri().toString(), what, sync);
    } catch (RemoteException e) {
      if (e.code() == RemoteException.DEADLINE_EXCEEDED) {
        throw call.deadlineExceeded(call.moduleUri().toString(), what, e);
      }
      throw e;
    }
  }

  /** The state of one outgoing call, for the exchange and the interceptors. */
  ClientCall newCall(String function, boolean notification, boolean batch, boolean idempotent, Duration timeout) {
    return new ClientCall(function, notification, batch, idempotent, uri, timeout == null ? callTimeout : timeout,
        timeout != null, interceptors);
  }

  long nextId() {
    return ids.getAndIncrement();
  }

  void checkOpen() {
    owner.checkOpen();
  }

  private String checkFunction(String function) {
    Objects.requireNonNull(function, "function == null");
    checkOpen();
    return function;
  }
}
