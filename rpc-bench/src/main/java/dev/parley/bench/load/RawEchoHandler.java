package dev.parley.bench.load;

import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The ceiling: a bare Jetty handler doing the same JSON work as a Parley module (Jackson parses
 * the request from Jetty's content stream, writes the answer into one array, sent with
 * Content-Length), without JSON-RPC envelope, registry, sessions or any checks.
 * {@code POST /raw/add} {"a":1,"b":2} → {"result":3}; {@code POST /raw/echo} {"data":"…"} → same.
 */
final class RawEchoHandler extends Handler.Abstract {
  private final InvocationType invocationType;

  /**
   * {@code nonBlocking}: declare {@code NON_BLOCKING} so Jetty may run the handler on the selector
   * thread (no hand-off to a pool thread), like gRPC's directExecutor. An experiment only: the
   * handler still reads the body with a blocking stream, which is safe here only because a small
   * body has arrived before dispatch; never do this in a real server.
   */
  RawEchoHandler(boolean nonBlocking) {
    this.invocationType = nonBlocking ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
  }

  @Override
  public InvocationType getInvocationType() {
    return invocationType;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    byte[] answer;
    if (path.equals("/raw/add")) {
      try (InputStream in = Content.Source.asInputStream(request)) {
        Json.AddRequest add = Json.MAPPER.readValue(in, Json.AddRequest.class);
        answer = Json.MAPPER.writeValueAsBytes(new Json.AddResult(add.a() + add.b()));
      }
    } else if (path.equals("/raw/echo")) {
      try (InputStream in = Content.Source.asInputStream(request)) {
        answer = Json.MAPPER.writeValueAsBytes(Json.MAPPER.readValue(in, Json.Bytes.class));
      }
    } else {
      return false;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
    response.write(true, ByteBuffer.wrap(answer), callback);
    return true;
  }
}
