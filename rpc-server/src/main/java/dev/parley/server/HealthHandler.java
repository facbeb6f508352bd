package dev.parley.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The health path ({@link RpcServer.Builder#healthPath}): {@code GET} or {@code HEAD} answers 200
 * {@code ok} while the server serves and 503 {@code draining} once a graceful stop began (or a module
 * drains), so a load balancer stops sending new work to a node on its way out. The answer says nothing
 * else: no version, no module, no setting.
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {
  private static final byte[] OK = "ok\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DRAINING = "draining\n".getBytes(StandardCharsets.UTF_8);

  private final String path;
  private final BooleanSupplier draining;

  HealthHandler(String path, BooleanSupplier draining) {
    this.path = path;
    this.draining = draining;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!path.equals(Request.getPathInContext(request))) {
      return false;
    }
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    if (!head && !HttpMethod.GET.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      Answers.httpError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "Use GET for the health check.", false);
      return true;
    }
    boolean stopping = draining.getAsBoolean();
    byte[] body = stopping ? DRAINING : OK;
    response.setStatus(stopping ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (head) {
      callback.succeeded();
    } else {
      response.write(true, ByteBuffer.wrap(body), callback);
    }
    return true;
  }
}
