package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.Compression;
import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.client.internal.CallFuture;
import dev.parley.client.internal.JsonBody;
import dev.parley.crypto.HttpBinding;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Plain JSON-RPC 2.0 over HTTP: {@code POST} with {@code application/json} (gzip when compression
 * is on and the body is large enough), the {@code Parley-Session} id a server issued, and the
 * answer's status checked. Sent again by the rule of {@link Resend}; a module that answers
 * {@code 503} with {@code Parley-Draining} (it is stopping and ran nothing, PROTOCOL.md §15.7) is
 * tried again after a wait. All within the call's budget.
 */
final class PlainExchange implements Exchange {
  private static final int MAX_SESSION_ID_LENGTH = 256;
  /** A plain call's deadline header (PROTOCOL.md §15.4): milliseconds the caller still waits. */
  static final String TIMEOUT_HEADER = "Parley-Timeout";

  private final Transport transport;
  private final HttpUrl url;
  private final String urlText;
  private final Events events;
  private final Compression compression;
  private final long maxBodyBytes;
  private final AtomicReference<String> session = new AtomicReference<>();

  PlainExchange(Transport transport, HttpUrl url, Events events, Compression compression, long maxBodyBytes) {
    this.transport = transport;
    this.url = url;
    this.urlText = url.toString();
    this.events = events;
    this.compression = compression;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The session id a server issued to this module, if any. */
  String sessionId() {
    return session.get();
  }

  @Override
  public CompletableFuture<Answer> send(Buffer json, ClientCall call, String what, boolean expectsAnswer,
      boolean sync) {
    CallFuture<Answer> future = new CallFuture<>();
    attempt(call, call.newBudget(), request(json), what, sync, future)
        .whenComplete((response, error) -> {
          if (error != null) {
            future.completeExceptionally(Failures.unwrap(error));
            return;
          }
          try {
            future.complete(answer(response, what, expectsAnswer));
          } catch (RuntimeException | Error e) {
            future.completeExceptionally(e);
          }
        });
    return future;
  }

  /** A plain JSON-RPC request; gzip-compressed when compression is on and the body is large enough. */
  private Request.Builder request(Buffer json) {
    Request.Builder request = new Request.Builder()
        .url(url)
        .header("Accept", "application/json");
    if (compression != Compression.NONE && json.size() >= Bodies.MIN_COMPRESS) {
      request.header("Content-Encoding", "gzip").post(JsonBody.of(Bodies.gzip(json, compression)));
    } else {
      request.post(JsonBody.of(json));
    }
    String sid = session.get();
    if (sid != null) {
      request.header(HttpBinding.SESSION_HEADER, sid);
    }
    return request;
  }

  /** A 200 (a body to read) or 204 (none); anything else is no answer to {@code what}. */
  private Answer answer(Response response, String what, boolean expectsAnswer) {
    int status = response.code();
    if (status != 200 && status != 204) {
      try (response) {
        throw Failures.status(response, urlText, what, events);
      }
    }
    rememberSession(response);
    if (status == 200 && expectsAnswer) {
      return Answer.plain(response, maxBodyBytes);
    }
    response.close();   // a notification's answer: a 200 body is ignored
    if (expectsAnswer) {
      throw new TransportException(urlText + " answered " + what + " with HTTP 204 (no content); a call needs a"
          + " JSON-RPC response (whether it ran is unknown)", 204, CallOutcome.UNKNOWN, null);
    }
    return Answer.NONE;
  }

  /** Remembers the session id of a successful answer, if it carries a well-formed one. */
  private void rememberSession(Response response) {
    String sid = response.header(HttpBinding.SESSION_HEADER);
    if (sid != null && isToken(sid)) {
      session.set(sid);
    }
  }

  private static boolean isToken(String value) {
    if (value.isEmpty() || value.length() > MAX_SESSION_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  private CompletableFuture<Response> attempt(ClientCall call, CallBudget budget, Request.Builder request, String what,
      boolean sync, CallFuture<?> owner) {
    // PROTOCOL.md §15.4: a plain call's deadline (what is left of its timeout) and trace context go in headers.
    long deadline = call.deadlineMillis(budget);
    if (deadline >= 0) {
      request.header(TIMEOUT_HEADER, Long.toString(deadline));
    }
    String traceparent = call.traceparent().orElse(null);
    if (traceparent != null) {
      request.header("traceparent", traceparent);
      call.tracestate().ifPresent(state -> request.header("tracestate", state));
    }
    int number = call.attemptStarting();
    return transport.send(request, budget, sync, owner::replaceCall)
        .handle((response, error) -> {
          call.attemptEnded(number, error == null ? response.code() : 0, error == null ? null : Failures.unwrap(error));
          if (error != null) {
            return transport.afterFailure(budget, Failures.unwrap(error), sync, what, events,
                () -> attempt(call, budget, request, what, sync, owner));
          }
          if (response.code() == 503 && response.header(HttpBinding.DRAINING_HEADER) != null) {
            response.close();
            // PROTOCOL.md §15.7: the module is stopping and ran nothing. A plain answer proves nothing
            // (no key), so it is trusted as every plain answer is, but never reported as "not run".
            budget.maybeRan = true;
            return transport.later(budget, sync, what, urlText + " is stopping (HTTP 503, Parley-Draining)",
                () -> attempt(call, budget, request, what, sync, owner));
          }
          return CompletableFuture.completedFuture(response);
        })
        .thenCompose(Function.identity());
  }
}
