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
    Outgoing out = new Outgoing(function, params, resultType, idempotent, timeout);
    if (interceptors.length == 0) {   // the common case: no future chain around a call that has completed
      return (T) out.result(Exchange.join(exchange.send(out.body, out.call, out.what, true, true)), true);
    }
    return (T) Exchange.join(CallChain.run(out.call, () -> out.send(true)));
  }

  /** A call's result, without blocking. */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent,
      Duration timeout) {
    Outgoing out = new Outgoing(function, params, resultType, idempotent, timeout);
    CompletableFuture<Object> result = interceptors.length == 0 ? out.send(false)
        : CallChain.run(out.call, () -> out.send(false));
    return (CompletableFuture<T>) (CompletableFuture<?>) result;
  }

  /** A notification, waited for until the server accepted it. */
  void notification(String function, Object params) {
    Buffer body = notificationBody(function, params);
    String what = "notification '" + function + "'";
    ClientCall call = newCall(function, true, false, false, null);
    if (interceptors.length == 0) {
      Exchange.join(exchange.send(body, call, what, false, true)).close();
      return;
    }
    Exchange.join(CallChain.run(call, () -> accepted(exchange.send(body, call, what, false, true))));
  }

  /** A notification: completes once the server accepted it. */
  CompletableFuture<Object> notificationAsync(String function, Object params) {
    Buffer body = notificationBody(function, params);
    String what = "notification '" + function + "'";
    ClientCall call = newCall(function, true, false, false, null);
    return interceptors.length == 0 ? accepted(exchange.send(body, call, what, false, false))
        : CallChain.run(call, () -> accepted(exchange.send(body, call, what, false, false)));
  }

  private static CompletableFuture<Object> accepted(CompletableFuture<Answer> exchange) {
    return Exchange.map(exchange, answer -> {
      answer.close();
      return null;
    });
  }

  /** One call, numbered and written, with what reading its answer needs. */
  private final class Outgoing {
    final long id;
    final String what;
    final Type resultType;
    final Buffer body;
    final ClientCall call;

    Outgoing(String function, Object params, Type resultType, boolean idempotent, Duration timeout) {
      this.resultType = Objects.requireNonNull(resultType, "resultType == null");
      this.id = nextId();
      this.what = "'" + function + "'";
      this.body = JsonBody.buffer(ClientRequest.call(id, checkFunction(function), params));
      this.call = newCall(function, false, false, idempotent, timeout);
    }

    CompletableFuture<Object> send(boolean sync) {
      return Exchange.map(exchange.send(body, call, what, true, sync), answer -> result(answer, sync));
    }

    /** The answer's result, or its error thrown; the server's -32001 as the timeout it stands for. */
    Object result(Answer answer, boolean sync) {
      String module = call.moduleUri().toString();
      try {
        return answer.result(id, resultType, module, what, sync);
      } catch (RemoteException e) {
        if (e.code() == RemoteException.DEADLINE_EXCEEDED) {
          throw call.deadlineExceeded(module, what, e);
        }
        throw e;
      }
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

  private Buffer notificationBody(String function, Object params) {
    return JsonBody.buffer(ClientRequest.notification(checkFunction(function), params));
  }

  private String checkFunction(String function) {
    Objects.requireNonNull(function, "function == null");
    checkOpen();
    return function;
  }
}
