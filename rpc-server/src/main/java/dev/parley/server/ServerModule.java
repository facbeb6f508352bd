package dev.parley.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.RemoteException;
import dev.parley.RemoteFunctions;
import dev.parley.Session;
import dev.parley.internal.jsonrpc.RequestBody;
import dev.parley.internal.jsonrpc.RequestId;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import dev.parley.internal.jsonrpc.ServerRequestReader;
import dev.parley.internal.jsonrpc.ServerResponseWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of remote functions served at one path. A module is a Jetty 12 {@link Handler}: mount it in
 * an {@link RpcServer}, or in your own Jetty {@code Server} next to other handlers.
 *
 * <pre>{@code
 * ServerModule calc = ServerModule.builder("/calc")
 *     .functions(new CalculatorFunctions(new CalculatorImpl()))
 *     .autoSessionsLive(Duration.ofMinutes(30))
 *     .onSessionClose(session -> audit.loggedOut(session.attributes().get("user")))
 *     .build();
 * try (RpcServer server = RpcServer.builder().port(8080).module(calc).build().start()) { … }
 * }</pre>
 *
 * <p>A plain module speaks JSON-RPC 2.0 over {@code POST <path>} with
 * {@code Content-Type: application/json} (docs/SERVER.md, docs/ERRORS.md). It handles exactly its
 * path and declines (returns false from {@link #handle}) every other one, so modules can share a
 * {@link Handler.Sequence}. It needs a thread that may block (it reads the body with blocking reads):
 * its invocation type is {@code BLOCKING}, so Jetty calls it on a pool thread, never a selector.
 *
 * <p>Immutable after {@link Builder#build()}; thread-safe.
 */
public final class ServerModule extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);

  /** The HTTP header that carries the session id, both ways. */
  public static final String SESSION_HEADER = "Parley-Session";

  static final Duration DEFAULT_AUTO_SESSIONS_LIVE = Duration.ofMinutes(10);
  static final long DEFAULT_MAX_SESSIONS = 100_000;
  static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  private static final String JSON = "application/json";

  private final String path;
  private final Duration autoSessionsLive;
  private final long maxSessions;
  private final long maxBodyBytes;
  private final List<RemoteFunctions> groups;
  private final SessionStore sessions;
  private final PlainDispatcher dispatcher;

  private ServerModule(Builder builder) {
    super(InvocationType.BLOCKING);
    this.path = builder.path;
    this.autoSessionsLive = builder.autoSessionsLive == null ? DEFAULT_AUTO_SESSIONS_LIVE : builder.autoSessionsLive;
    this.maxSessions = builder.maxSessions == 0 ? DEFAULT_MAX_SESSIONS : builder.maxSessions;
    this.maxBodyBytes = builder.maxBodyBytes == 0 ? DEFAULT_MAX_BODY_BYTES : builder.maxBodyBytes;
    this.groups = List.copyOf(builder.groups);
    FunctionRegistry registry = new FunctionRegistry(groups);
    this.sessions = new CaffeineSessionStore(autoSessionsLive, maxSessions, builder.onSessionOpen,
        builder.onSessionClose, builder.ticker, builder.sessionExecutor, builder.ticker == null);
    this.dispatcher = new PlainDispatcher(path, registry);
  }

  /** Starts a builder for a module served at {@code path} (for example {@code "/calc"}). */
  public static Builder builder(String path) {
    return new Builder(path);
  }

  /** The path this module answers at. */
  public String path() {
    return path;
  }

  /** How long a session lives after its last use. */
  public Duration autoSessionsLive() {
    return autoSessionsLive;
  }

  /** The most sessions kept at once; beyond it the least recently used are closed. */
  public long maxSessions() {
    return maxSessions;
  }

  /** The largest request body accepted, in bytes. */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /** The function groups this module serves, in registration order. */
  public List<RemoteFunctions> functionGroups() {
    return groups;
  }

  SessionStore sessions() {
    return sessions;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!path.equals(Request.getPathInContext(request))) {
      return false;
    }
    try {
      serve(request, response, callback);
    } catch (RuntimeException | Error e) {
      failedInternally(response, callback, e);
      if (e instanceof VirtualMachineError) {
        throw e;
      }
    }
    return true;
  }

  private void failedInternally(Response response, Callback callback, Throwable failure) {
    LOG.error("serving {} failed; answered HTTP 500", path, failure);
    internalError(response, callback, failure);
  }

  private void serve(Request request, Response response, Callback callback) {
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      httpError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "Use POST for JSON-RPC calls.", false);
      return;
    }
    if (!acceptableContentType(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
      httpError(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
          "Send the JSON-RPC body with Content-Type: application/json (UTF-8).", false);
      return;
    }
    String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
    boolean gzip = false;
    if (encoding != null) {
      String coding = encoding.trim().toLowerCase(Locale.ROOT);
      gzip = coding.equals("gzip") || coding.equals("x-gzip");
      if (!gzip && !coding.equals("identity")) {
        httpError(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
            "Content-Encoding " + (coding.length() > 20 ? "" : coding + " ")
                + "is not supported; send the body uncompressed or with gzip.", false);
        return;
      }
    }
    if (request.getLength() > maxBodyBytes) {
      tooLarge(response, callback);
      return;
    }
    RequestBody body;
    try (InputStream in = body(request, gzip)) {
      body = ServerRequestReader.read(in);
    } catch (BoundedInputStream.TooLarge e) {
      tooLarge(response, callback);
      return;
    } catch (GzipBody.Corrupt e) {
      httpError(response, callback, HttpStatus.BAD_REQUEST_400, "The gzip-encoded body is corrupt.", true);
      return;
    } catch (IOException e) {
      if (causedByTimeout(e)) {
        LOG.debug("the request body on {} stalled past the idle timeout", path);
        httpError(response, callback, HttpStatus.REQUEST_TIMEOUT_408,
            "The request body stopped arriving before it was complete.", true);
        return;
      }
      LOG.debug("reading a request body on {} failed", path, e);
      callback.failed(e);
      return;
    }
    if (body.isParseError()) {
      ResponseBuffer out = new ResponseBuffer(128);
      ServerResponseWriter.writeError(out, RequestId.NULL, RemoteException.PARSE_ERROR,
          PlainDispatcher.PARSE_ERROR_MESSAGE, null);
      sendJson(response, callback, out);
      return;
    }
    // The connection's idle timeout guards reading the request and idle keep-alive connections; a
    // function that runs longer than it is not "idle", so its answer must not be turned into a 500.
    request.addIdleTimeoutListener(timeout -> false);
    LazySession session = new LazySession(sessions, existingSession(request));
    dispatcher.dispatch(body, session, (outcomes, fatal) -> {
      try {
        respond(response, callback, body, outcomes, session, fatal);
      } catch (RuntimeException | Error e) {
        // Possibly on the thread that completed an asynchronous function: nobody else would see it.
        failedInternally(response, callback, e);
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

  private static boolean causedByTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private ServerSession existingSession(Request request) {
    String id = request.getHeaders().get(SESSION_HEADER);
    if (id == null || !SessionIds.wellFormed(id)) {
      return null;
    }
    // Plain modules have no authentication: an unknown or expired id simply gets a new session
    // when a function needs one (docs/SERVER.md "Sessions").
    return sessions.get(id);
  }

  private void respond(Response response, Callback callback, RequestBody body, Outcome[] outcomes,
      LazySession session, Throwable fatal) {
    if (fatal != null) {
      failedInternally(response, callback, fatal);
      return;
    }
    ServerSession created = session.createdSession();
    if (created != null && created.isValid()) {
      response.getHeaders().put(SESSION_HEADER, created.id());
    }
    ResponseBuffer out = null;
    if (body.isBatch()) {
      for (Outcome outcome : outcomes) {
        if (outcome == null) {
          continue;
        }
        if (out == null) {
          out = new ResponseBuffer(Math.min(256 * outcomes.length, 64 * 1024));
          ServerResponseWriter.startBatch(out);
        } else {
          ServerResponseWriter.separator(out);
        }
        outcome.write(out);
      }
      if (out != null) {
        ServerResponseWriter.endBatch(out);
      }
    } else if (outcomes[0] != null) {
      out = new ResponseBuffer(256);
      outcomes[0].write(out);
    }
    if (out == null) {
      response.setStatus(HttpStatus.NO_CONTENT_204);
      callback.succeeded();
      return;
    }
    sendJson(response, callback, out);
  }

  private void sendJson(Response response, Callback callback, ResponseBuffer out) {
    response.setStatus(HttpStatus.OK_200);
    if (isStopping() || (getServer() != null && getServer().isStopping())) {
      // An answer finished during a graceful stop: tell the client not to reuse the connection.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, out.size());
    response.write(true, out.toByteBuffer(), callback);
  }

  /** HTTP 500 with a generic text: Jetty's own error page would show the exception. */
  private static void internalError(Response response, Callback callback, Throwable failure) {
    if (response.isCommitted()) {
      callback.failed(failure);
      return;
    }
    try {
      response.reset();
      httpError(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "Internal server error.", false);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      callback.failed(failure);
    }
  }

  private void tooLarge(Response response, Callback callback) {
    httpError(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
        "The request body is larger than this module's limit of " + maxBodyBytes + " bytes.", true);
  }

  private static void httpError(Response response, Callback callback, int status, String message, boolean close) {
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

  @Override
  public String toString() {
    return "ServerModule[" + path + ", " + groups.size() + " function group(s)]";
  }

  /**
   * Builds a {@link ServerModule}. Each setting may be given once; {@link #build()} checks them all.
   *
   * <pre>{@code
   * ServerModule module = ServerModule.builder("/calc")
   *     .functions(new CalculatorFunctions(impl), new HistoryFunctions(history))
   *     .maxBodyBytes(1 << 20)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final String path;
    private final List<RemoteFunctions> groups = new ArrayList<>();
    private Duration autoSessionsLive;
    private long maxSessions;
    private long maxBodyBytes;
    private Consumer<Session> onSessionOpen;
    private Consumer<Session> onSessionClose;
    private Ticker ticker;
    private Executor sessionExecutor;

    private Builder(String path) {
      this.path = Objects.requireNonNull(path, "path == null");
    }

    /** Adds function groups (generated {@code <Type>Functions}); may be called several times. */
    public Builder functions(RemoteFunctions... groups) {
      for (RemoteFunctions group : groups) {
        this.groups.add(Objects.requireNonNull(group, "function group == null"));
      }
      return this;
    }

    /** How long a session lives after its last use (default 10 minutes). */
    public Builder autoSessionsLive(Duration live) {
      Objects.requireNonNull(live, "autoSessionsLive == null");
      if (autoSessionsLive != null) {
        throw new IllegalStateException("autoSessionsLive was already set to " + autoSessionsLive);
      }
      if (live.isNegative() || live.isZero()) {
        throw new IllegalArgumentException("autoSessionsLive must be positive, was " + live);
      }
      this.autoSessionsLive = live;
      return this;
    }

    /** The most sessions kept at once (default 100 000); beyond it the least recently used close. */
    public Builder maxSessions(long max) {
      if (maxSessions != 0) {
        throw new IllegalStateException("maxSessions was already set to " + maxSessions);
      }
      if (max <= 0) {
        throw new IllegalArgumentException("maxSessions must be positive, was " + max);
      }
      this.maxSessions = max;
      return this;
    }

    /** The largest request body accepted, in bytes (default 4 MiB); larger bodies get HTTP 413. */
    public Builder maxBodyBytes(long max) {
      if (maxBodyBytes != 0) {
        throw new IllegalStateException("maxBodyBytes was already set to " + maxBodyBytes);
      }
      if (max <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be positive, was " + max);
      }
      this.maxBodyBytes = max;
      return this;
    }

    /** Called once per new session, on the thread that created it (a request thread). */
    public Builder onSessionOpen(Consumer<Session> listener) {
      Objects.requireNonNull(listener, "onSessionOpen == null");
      if (onSessionOpen != null) {
        throw new IllegalStateException("onSessionOpen was already set");
      }
      this.onSessionOpen = listener;
      return this;
    }

    /**
     * Called once per ended session (expired, evicted, invalidated), before its attributes are
     * cleared, on a background thread.
     */
    public Builder onSessionClose(Consumer<Session> listener) {
      Objects.requireNonNull(listener, "onSessionClose == null");
      if (onSessionClose != null) {
        throw new IllegalStateException("onSessionClose was already set");
      }
      this.onSessionClose = listener;
      return this;
    }

    /** Test hook: the session clock (no system scheduler is used with it). */
    Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker == null");
      return this;
    }

    /** Test hook: where session maintenance and close events run. */
    Builder sessionExecutor(Executor executor) {
      this.sessionExecutor = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    /**
     * Builds the module.
     *
     * @throws IllegalArgumentException for a malformed path, no functions, or a function name
     *     declared by two groups (the message names both)
     */
    public ServerModule build() {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/', was \"" + path + "\"");
      }
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        if (c <= ' ' || c == '?' || c == '#' || c == '%' || c == '\\' || c >= 0x7f) {
          throw new IllegalArgumentException("path must be a plain URL path without spaces, '?', '#', '%' or '\\', was \""
              + path + "\"");
        }
      }
      if (groups.isEmpty()) {
        throw new IllegalArgumentException("module " + path + " has no functions; add them with functions(...)");
      }
      return new ServerModule(this);
    }
  }
}
