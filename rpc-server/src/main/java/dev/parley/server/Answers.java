package dev.parley.server;

import dev.parley.Compression;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one module writes its HTTP answers: whole bodies with {@code Content-Length} in one write,
 * short {@code text/plain} errors whose text never holds a secret or an exception's message, the
 * generic 500, and {@code Connection: close} while the server stops (docs/SERVER.md "Stopping").
 * Shared by the plain and the sealed endpoint of the module.
 */
final class Answers {
  private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);
  static final String JSON = "application/json";

  private final String path;
  private final long maxBodyBytes;
  private final Compression compression;
  private final BooleanSupplier stopping;

  /**
   * @param stopping true while the module or its server stops: answers then close their connection
   */
  Answers(String path, long maxBodyBytes, Compression compression, BooleanSupplier stopping) {
    this.path = path;
    this.maxBodyBytes = maxBodyBytes;
    this.compression = compression;
    this.stopping = stopping;
  }

  /** Writes a whole answer with Content-Length in one write. */
  void send(Response response, Callback callback, int status, String contentType, ResponseBuffer out) {
    response.setStatus(status);
    if (stopping.getAsBoolean()) {
      // An answer finished during a graceful stop: tell the client not to reuse the connection.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, out.size());
    response.write(true, out.toByteBuffer(), callback);
  }

  void sendBytes(Response response, Callback callback, int status, String type, byte[] bytes) {
    ResponseBuffer out = new ResponseBuffer(bytes.length);
    out.write(bytes, 0, bytes.length);
    send(response, callback, status, type, out);
  }

  /** A plain JSON-RPC answer, gzip-encoded when the module compresses and the request accepts it. */
  void sendJson(Response response, Callback callback, ResponseBuffer out, boolean gzipAnswer) {
    if (compression != Compression.NONE) {
      response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
    }
    if (gzipAnswer && out.size() >= BodyCompression.MIN_BYTES) {
      out = BodyCompression.gzip(out, compression);
      response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
    }
    send(response, callback, HttpStatus.OK_200, JSON, out);
  }

  /** Serving failed inside Parley or a function's completion: logged, answered with the generic 500. */
  void failedInternally(Response response, Callback callback, Throwable failure) {
    LOG.error("serving {} failed; answered HTTP 500", path, failure);
    if (response.isCommitted()) {
      callback.failed(failure);
      return;
    }
    try {
      // Jetty's own error page would show the exception.
      response.reset();
      httpError(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "Internal server error.", false);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      callback.failed(failure);
    }
  }

  void tooLarge(Response response, Callback callback) {
    httpError(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
        "The request body is larger than this module's limit of " + maxBodyBytes + " bytes.", true);
  }

  /** PROTOCOL.md §15.5: 503 with {@code Parley-Draining: 1}; nothing ran. */
  void draining(Response response, Callback callback) {
    response.getHeaders().put(ServerModule.DRAINING_HEADER, "1");
    httpError(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "draining", false);
  }

  /** A body read failed with an {@link IOException} that is not a size or gzip problem. */
  void readFailed(Response response, Callback callback, IOException e) {
    if (causedByTimeout(e)) {
      LOG.debug("the request body on {} stalled past the idle timeout", path);
      httpError(response, callback, HttpStatus.REQUEST_TIMEOUT_408,
          "The request body stopped arriving before it was complete.", true);
      return;
    }
    LOG.debug("reading a request body on {} failed", path, e);
    callback.failed(e);
  }

  /** A short {@code text/plain} answer; {@code close}: the rest of the body is never read. */
  static void httpError(Response response, Callback callback, int status, String message, boolean close) {
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    if (close) {
      // The rest of the body is never read; the connection cannot be reused.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  private static boolean causedByTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
