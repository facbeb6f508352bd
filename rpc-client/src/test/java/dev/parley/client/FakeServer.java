package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A raw Jetty 12 server on 127.0.0.1, port 0, that is not Parley's: each test tells it how to answer
 * and reads back what the client sent. Used to test the client's handling of every kind of answer.
 */
final class FakeServer extends TestJetty {
  /** What the client sent. */
  record Received(String method, String body, String contentType, String accept, String session) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** How to answer one request. */
  interface Responder {
    void respond(Received received, Request request, Response response, Callback callback) throws Exception;
  }

  private final AtomicInteger requests = new AtomicInteger();
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  volatile Responder responder = (r, request, response, callback) -> answer(response, callback, 500, "text/plain", "no responder");

  FakeServer() throws Exception {
    this(0);
  }

  /** A server on {@code port} (0: a free one), for example the port of a stopped one (a restart). */
  FakeServer(int port) throws Exception {
    this(port, false);
  }

  /** A server that also speaks h2c (HTTP/2 cleartext with prior knowledge) when {@code h2c}. */
  FakeServer(int port, boolean h2c) throws Exception {
    super(h2c);
    start(port);
  }

  @Override
  void serve(Request request, Response response, Callback callback) throws Exception {
    requests.incrementAndGet();
    Received r = new Received(request.getMethod(), Content.Source.asString(request),
        request.getHeaders().get(HttpHeader.CONTENT_TYPE), request.getHeaders().get(HttpHeader.ACCEPT),
        request.getHeaders().get("Parley-Session"));
    received.add(r);
    responder.respond(r, request, response, callback);
  }

  int requestCount() {
    return requests.get();
  }

  /** Answers every request with a fixed status, content type and body. */
  void always(int status, String contentType, String body) {
    responder = (r, request, response, callback) -> answer(response, callback, status, contentType, body);
  }

  /** Answers every request with 200 and the JSON {@code body(request)} computes. */
  void json(Function<Received, String> body) {
    responder = (r, request, response, callback) -> answer(response, callback, 200, "application/json", body.apply(r));
  }

  /** Answers with the result {@code resultJson} and the request's own id. */
  void result(String resultJson) {
    json(r -> "{\"jsonrpc\":\"2.0\",\"result\":" + resultJson + ",\"id\":" + r.json().get("id") + "}");
  }

  static void answer(Response response, Callback callback, int status, String contentType, String body) {
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    if (body == null) {
      callback.succeeded();
    } else {
      Content.Sink.write(response, true, body, callback);
    }
  }
}
