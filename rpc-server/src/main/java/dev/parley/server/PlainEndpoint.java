package dev.parley.server;

import dev.parley.Compression;
import dev.parley.internal.jsonrpc.RequestBody;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import dev.parley.internal.jsonrpc.ServerRequestReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Plain JSON-RPC 2.0 over HTTP on a module's path (docs/SERVER.md, docs/ERRORS.md): the content
 * type and encoding checked, a forcing module's 412 (PROTOCOL.md §9), the draining 503 (§15.7), the
 * body read within the module's bound (gzip inflated within it too), dispatched with the caller's
 * plain session, and answered (gzip when the module compresses and the caller accepts it).
 */
final class PlainEndpoint {
  private final PlainDispatcher dispatcher;
  private final SessionStore sessions;
  private final Answers answers;
  private final boolean forceEncryption;
  private final boolean encrypting;
  private final Compression compression;
  private final long maxBodyBytes;
  private final BooleanSupplier draining;
  private final RequestScope.Settings scopes;

  PlainEndpoint(PlainDispatcher dispatcher, SessionStore sessions, Answers answers, boolean forceEncryption,
      boolean encrypting, Compression compression, long maxBodyBytes, BooleanSupplier draining,
      RequestScope.Settings scopes) {
    this.scopes = scopes;
    this.dispatcher = dispatcher;
    this.sessions = sessions;
    this.answers = answers;
    this.forceEncryption = forceEncryption;
    this.encrypting = encrypting;
    this.compression = compression;
    this.maxBodyBytes = maxBodyBytes;
    this.draining = draining;
  }

  /** A POST whose content type is neither a handshake nor a sealed body. */
  void call(Request request, Response response, Callback callback, String contentType) {
    if (!acceptableContentType(contentType)) {
      Answers.httpError(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
          !encrypting ? "Send the JSON-RPC body with Content-Type: application/json (UTF-8)."
              : "Send the JSON-RPC body with Content-Type: application/json (UTF-8), or use "
                  + SecureEndpoint.HANDSHAKE_TYPE + " / " + SecureEndpoint.SEALED_TYPE + " for encrypted calls.",
          false);
      return;
    }
    if (forceEncryption) {
      // PROTOCOL.md §9: a forcing module answers every plain call 412 and runs nothing.
      Answers.httpError(response, callback, HttpStatus.PRECONDITION_FAILED_412, SecureEndpoint.ENCRYPTION_REQUIRED,
          false);
      return;
    }
    if (draining.getAsBoolean()) {
      answers.draining(response, callback);
      return;
    }
    String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
    boolean gzip = false;
    if (encoding != null) {
      String coding = encoding.trim().toLowerCase(Locale.ROOT);
      gzip = coding.equals("gzip") || coding.equals("x-gzip");
      if (!gzip && !coding.equals("identity")) {
        Answers.httpError(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
            "Content-Encoding " + (coding.length() > 20 ? "" : coding + " ")
                + "is not supported; send the body uncompressed or with gzip.", false);
        return;
      }
    }
    if (request.getLength() > maxBodyBytes) {
      answers.tooLarge(response, callback);
      return;
    }
    RequestScope scope = RequestScope.plain(scopes, request);   // PROTOCOL.md §15.4: Parley-Timeout, traceparent
    if (scope == null) {
      Answers.httpError(response, callback, HttpStatus.BAD_REQUEST_400, RequestScope.BAD_TIMEOUT, false);
      return;
    }
    boolean gzipAnswer = compression != Compression.NONE
        && BodyCompression.acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
    RequestBody body;
    try (InputStream in = body(request, gzip)) {
      body = ServerRequestReader.read(in);
    } catch (BoundedInputStream.TooLarge e) {
      answers.tooLarge(response, callback);
      return;
    } catch (GzipBody.Corrupt e) {
      Answers.httpError(response, callback, HttpStatus.BAD_REQUEST_400, "The gzip-encoded body is corrupt.", true);
      return;
    } catch (IOException e) {
      answers.readFailed(response, callback, e);
      return;
    }
    if (body.isParseError()) {
      answers.sendJson(response, callback, JsonRpcAnswers.parseError(0), gzipAnswer);
      return;
    }
    // The connection's idle timeout guards reading the request and idle keep-alive connections; a
    // function that runs longer than it is not "idle", so its answer must not be turned into a 500.
    request.addIdleTimeoutListener(timeout -> false);
    LazySession session = new LazySession(sessions, existingSession(request));
    boolean batch = body.isBatch();   // the answer needs this, not the body (its params can go early)
    long requestBytes = request.getLength();
    dispatcher.dispatch(body, session, scope, new CallWatch(request), (outcomes, fatal) -> {
      try {
        respond(response, callback, batch, outcomes, session, fatal, gzipAnswer, scope, requestBytes);
      } catch (RuntimeException | Error e) {
        // Possibly on the thread that completed an asynchronous function: nobody else would see it.
        answers.failedInternally(response, callback, e);
      }
    });
  }

  /**
   * The request body as a stream of at most {@code maxBodyBytes}: both the bytes on the wire and,
   * for gzip, the inflated bytes are bounded, so a small compressed bomb is refused like a big body.
   */
  private InputStream body(Request request, boolean gzip) throws IOException {
    InputStream wire = new BoundedInputStream(Content.Source.asInputStream(request), maxBodyBytes);
    return gzip ? new BoundedInputStream(GzipBody.open(wire), maxBodyBytes) : wire;
  }

  private ServerSession existingSession(Request request) {
    String id = request.getHeaders().get(ServerModule.SESSION_HEADER);
    if (id == null || !SessionIds.wellFormed(id)) {
      return null;
    }
    // Plain modules have no authentication: an unknown or expired id simply gets a new session
    // when a function needs one (docs/SERVER.md "Sessions"). An encrypted session's id travels in
    // clear, so a plain call naming it must not reach its state: it counts as unknown.
    ServerSession session = sessions.get(id);
    return session == null || session.isEncrypted() ? null : session;
  }

  private void respond(Response response, Callback callback, boolean batch, Outcome[] outcomes,
      LazySession session, Throwable fatal, boolean gzipAnswer, RequestScope scope, long requestBytes) {
    if (fatal != null) {
      answers.failedInternally(response, callback, fatal);
      return;
    }
    ServerSession created = session.createdSession();
    if (created != null && created.isValid()) {
      response.getHeaders().put(ServerModule.SESSION_HEADER, created.id());
    }
    ResponseBuffer out = JsonRpcAnswers.render(batch, outcomes, false);
    dispatcher.answered(scope, requestBytes, out == null ? 0 : out.size());
    if (out == null) {
      response.setStatus(HttpStatus.NO_CONTENT_204);
      callback.succeeded();
      return;
    }
    answers.sendJson(response, callback, out, gzipAnswer);
  }

  /** {@code application/json} or {@code application/json-rpc}, with no charset or UTF-8. */
  static boolean acceptableContentType(String value) {
    if (value == null) {
      return false;
    }
    String[] parts = value.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json") && !type.equals("application/json-rpc")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      int equals = parameter.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String name = parameter.substring(0, equals).trim();
      String argument = parameter.substring(equals + 1).trim().replace("\"", "");
      if (name.equalsIgnoreCase("charset") && !argument.equalsIgnoreCase("utf-8") && !argument.equalsIgnoreCase("utf8")) {
        return false;
      }
    }
    return true;
  }
}
