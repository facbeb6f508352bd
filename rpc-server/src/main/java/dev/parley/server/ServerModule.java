package dev.parley.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Compression;
import dev.parley.ConfigException;
import dev.parley.RemoteException;
import dev.parley.RemoteFunctions;
import dev.parley.Session;
import dev.parley.crypto.SecureChannel;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.config.ConfigKeys;
import dev.parley.internal.config.ConfigSource;
import dev.parley.internal.config.SecretText;
import dev.parley.internal.config.SecureKeyFile;
import dev.parley.internal.jsonrpc.RequestBody;
import dev.parley.internal.jsonrpc.RequestId;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import dev.parley.internal.jsonrpc.ServerRequestReader;
import dev.parley.internal.jsonrpc.ServerResponseWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * {@code Content-Type: application/json} (docs/SERVER.md, docs/ERRORS.md). An encrypting module
 * ({@code encryptionKey} &gt; 0) also answers the Parley handshake
 * ({@code application/vnd.parley.handshake}) and sealed calls ({@code application/vnd.parley.sealed})
 * on the same path (docs/PROTOCOL.md §15); with a SecureKey or {@code forceEncryption} it answers
 * plain calls 412 and runs nothing:
 *
 * <pre>{@code
 * ServerModule secure = ServerModule.builder("/calc")
 *     .functions(new CalculatorFunctions(new CalculatorImpl()))
 *     .secureKeyFile(Path.of("/run/secrets/calc.key"))     // encryptionKey 32, forceEncryption implied
 *     .build();
 * ServerModule fromFile = ServerModule.fromConfig(Path.of("calc-server.yml"))
 *     .functions(new CalculatorFunctions(new CalculatorImpl()))
 *     .build();
 * }</pre>
 *
 * <p> It handles exactly its
 * path and declines (returns false from {@link #handle}) every other one, so modules can share a
 * {@link Handler.Sequence}. By default its functions may block: its invocation type is
 * {@code BLOCKING}, and Jetty calls it on a thread that may block. A module built with
 * {@link Builder#nonBlocking(boolean) nonBlocking(true)} promises that its functions never block;
 * it reads bodies without blocking, declares {@code NON_BLOCKING}, and Jetty then runs each call on
 * the I/O thread that read it, with no hand-off (docs/SERVER.md "Non-blocking modules").
 *
 * <p>Immutable after {@link Builder#build()}; thread-safe.
 */
public final class ServerModule extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);

  /** The HTTP header that carries the session id, both ways. */
  public static final String SESSION_HEADER = "Parley-Session";
  /** The header of a plain 503 from a module that stops gracefully (PROTOCOL.md §15.5, §15.7). */
  public static final String DRAINING_HEADER = "Parley-Draining";

  static final Duration DEFAULT_AUTO_SESSIONS_LIVE = Duration.ofMinutes(10);
  static final long DEFAULT_MAX_SESSIONS = 100_000;
  static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  /** The encryptionKey used when a SecureKey is configured and encryptionKey is not set. */
  static final int DEFAULT_ENCRYPTION_KEY = 32;
  private static final String JSON = "application/json";

  private final String path;
  private final Duration autoSessionsLive;
  private final long maxSessions;
  private final long maxBodyBytes;
  private final int encryptionKey;
  private final boolean forceEncryption;
  private final boolean unauthenticated;
  private final List<Integer> keyIds;
  private final Compression compression;
  private final boolean nonBlocking;
  /** Non-blocking mode: the most body bytes collected in memory before the module's bounds apply. */
  private final long collectLimit;
  private final List<RemoteFunctions> groups;
  private final boolean exposeErrorMessages;
  private final SessionStore sessions;
  private final PlainDispatcher dispatcher;
  private final SecureEndpoint secure;   // null when encryptionKey is 0
  /** Set when a graceful stop begins: new calls are answered "not run" (PROTOCOL.md §15.7). */
  private volatile boolean draining;

  private ServerModule(Builder builder, Settings settings) {
    super(builder.nonBlocking != null && builder.nonBlocking ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING);
    this.path = builder.path;
    this.nonBlocking = getInvocationType() == InvocationType.NON_BLOCKING;
    this.autoSessionsLive = builder.autoSessionsLive == null ? DEFAULT_AUTO_SESSIONS_LIVE : builder.autoSessionsLive;
    this.maxSessions = builder.maxSessions == 0 ? DEFAULT_MAX_SESSIONS : builder.maxSessions;
    this.maxBodyBytes = builder.maxBodyBytes == 0 ? DEFAULT_MAX_BODY_BYTES : builder.maxBodyBytes;
    this.encryptionKey = settings.encryptionKey;
    this.forceEncryption = settings.forced;
    this.unauthenticated = settings.keys.size() == 1 && settings.keys.get(0).isNone();
    this.keyIds = settings.keys.stream().map(SecureKey::keyId).toList();
    this.compression = builder.compression == null ? Compression.NONE : builder.compression;
    this.groups = List.copyOf(builder.groups);
    Clock clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
    FunctionRegistry registry = new FunctionRegistry(groups);
    this.sessions = new CaffeineSessionStore(autoSessionsLive, maxSessions, builder.onSessionOpen,
        builder.onSessionClose, builder.ticker, builder.sessionExecutor, builder.ticker == null, clock);
    this.exposeErrorMessages = Boolean.TRUE.equals(builder.exposeErrorMessages);
    this.dispatcher = new PlainDispatcher(path, registry,
        OpenRpcDocument.Info.of(path, builder.apiTitle, builder.apiVersion, builder.apiDescription),
        exposeErrorMessages);
    this.secure = encryptionKey == 0 ? null
        : new SecureEndpoint(this, settings.keys, encryptionKey, clock, SecureChannel.DEFAULT_MAX_AGE);
    this.collectLimit = secure == null ? maxBodyBytes : Math.max(maxBodyBytes, secure.maxFrameBytes());
  }

  /** Starts a builder for a module served at {@code path} (for example {@code "/calc"}). */
  public static Builder builder(String path) {
    return new Builder(path);
  }

  /**
   * A builder filled from a YAML ({@code .yml}, {@code .yaml}) or properties file, with
   * environment overrides {@code PARLEY_<KEY>} (docs/CONFIG.md). The file must name the
   * {@code path}; add the functions in code. Builder calls made afterwards replace the file's
   * values.
   *
   * <pre>{@code
   * ServerModule calc = ServerModule.fromConfig(Path.of("/etc/parley/calc-server.yml"))
   *     .functions(new CalculatorFunctions(new CalculatorImpl()))
   *     .build();
   * }</pre>
   *
   * @throws dev.parley.ConfigException the file or a value in it (or in the environment) cannot be
   *     used; the message names the key, where it came from and the form expected, never a secret
   */
  public static Builder fromConfig(Path file) {
    return fromConfig(file, System.getenv());
  }

  /** {@link #fromConfig(Path)} with {@code env} in place of the process environment (tests). */
  public static Builder fromConfig(Path file, Map<String, String> env) {
    return Builder.from(ConfigSource.load(file, ConfigKeys.SERVER, env));
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

  /** 0 when this module does not encrypt; else the length in bytes of its random contributions. */
  public int encryptionKey() {
    return encryptionKey;
  }

  /** True when plain calls are refused with HTTP 412 (forceEncryption, or a SecureKey is set). */
  public boolean forcesEncryption() {
    return forceEncryption;
  }

  /** How this module compresses its answers. */
  public Compression compression() {
    return compression;
  }

  /**
   * True when this module's functions run on Jetty's I/O thread without a hand-off
   * ({@link Builder#nonBlocking(boolean)}).
   */
  public boolean isNonBlocking() {
    return nonBlocking;
  }

  /** The function groups this module serves, in registration order. */
  public List<RemoteFunctions> functionGroups() {
    return groups;
  }

  /**
   * True when an unexpected exception's message reaches the caller
   * ({@link Builder#exposeErrorMessages(boolean)}); false (the default) when callers get
   * {@code "Server error"} and the message stays in the server's log.
   */
  public boolean exposesErrorMessages() {
    return exposeErrorMessages;
  }

  /**
   * How many notifications (requests without an id) since the module was built could not run (no
   * such function, invalid params) or failed (the function threw). A notification is never
   * answered, so this count and the server's log (WARN for invalid params and failures) are the
   * only trace of it; a monitoring probe can watch it.
   */
  public long failedNotifications() {
    return dispatcher.failedNotifications();
  }

  SessionStore sessions() {
    return sessions;
  }

  /**
   * Starts draining for a graceful stop (PROTOCOL.md §15.7): from now on every call that is not
   * already running is answered HTTP 503 and runs nothing; sealed calls get the authenticated
   * draining answer, so their clients know for sure and send them again elsewhere. {@link RpcServer}
   * calls this when it stops; call it yourself when the module runs in your own Jetty server. A
   * module that is started again (served by a new server) stops draining.
   */
  public void drain() {
    draining = true;
  }

  @Override
  protected void doStart() throws Exception {
    draining = false;
    super.doStart();
  }

  /** True once {@link #drain()} was called. */
  public boolean isDraining() {
    return draining;
  }

  PlainDispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!path.equals(Request.getPathInContext(request))) {
      return false;
    }
    if (nonBlocking && request.getLength() <= collectLimit) {
      // The body is read without blocking; the call is served once it is in memory (on this
      // thread when it has already arrived, as a small call's has). A Content-Length over every
      // bound is served at once: serve() refuses it from the header, reading nothing.
      CollectedBody.collect(request, collectLimit, collected -> serveCaught(collected, response, callback));
    } else {
      serveCaught(request, response, callback);
    }
    return true;
  }

  private void serveCaught(Request request, Response response, Callback callback) {
    try {
      serve(request, response, callback);
    } catch (RuntimeException | Error e) {
      failedInternally(response, callback, e);
      if (e instanceof VirtualMachineError) {
        throw e;
      }
    }
  }

  void failedInternally(Response response, Callback callback, Throwable failure) {
    LOG.error("serving {} failed; answered HTTP 500", path, failure);
    internalError(response, callback, failure);
  }

  private void serve(Request request, Response response, Callback callback) {
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      httpError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "Use POST for JSON-RPC calls.", false);
      return;
    }
    // PROTOCOL.md §15.1: the content type tells plain, handshake and sealed bodies apart.
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String mediaType = mediaType(contentType);
    if (SecureEndpoint.HANDSHAKE_TYPE.equals(mediaType) || SecureEndpoint.SEALED_TYPE.equals(mediaType)) {
      if (secure == null) {
        response.getHeaders().put("Accept-Post", JSON);
        httpError(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, SecureEndpoint.NOT_ENCRYPTING, false);
      } else if (SecureEndpoint.HANDSHAKE_TYPE.equals(mediaType)) {
        if (draining) {
          drainingAnswer(response, callback);   // PROTOCOL.md §15.7: no new session on a stopping instance
        } else {
          secure.handshake(request, response, callback);
        }
      } else {
        secure.sealedCall(request, response, callback);
      }
      return;
    }
    if (!acceptableContentType(contentType)) {
      httpError(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
          secure == null ? "Send the JSON-RPC body with Content-Type: application/json (UTF-8)."
              : "Send the JSON-RPC body with Content-Type: application/json (UTF-8), or use "
                  + SecureEndpoint.HANDSHAKE_TYPE + " / " + SecureEndpoint.SEALED_TYPE + " for encrypted calls.",
          false);
      return;
    }
    if (forceEncryption) {
      // PROTOCOL.md §9: a forcing module answers every plain call 412 and runs nothing.
      httpError(response, callback, HttpStatus.PRECONDITION_FAILED_412, SecureEndpoint.ENCRYPTION_REQUIRED, false);
      return;
    }
    if (draining) {
      drainingAnswer(response, callback);
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
    boolean gzipAnswer = compression != Compression.NONE
        && BodyCompression.acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
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
      readFailed(response, callback, e);
      return;
    }
    if (body.isParseError()) {
      sendJson(response, callback, parseErrorAnswer(0), gzipAnswer);
      return;
    }
    // The connection's idle timeout guards reading the request and idle keep-alive connections; a
    // function that runs longer than it is not "idle", so its answer must not be turned into a 500.
    request.addIdleTimeoutListener(timeout -> false);
    LazySession session = new LazySession(sessions, existingSession(request));
    boolean batch = body.isBatch();   // the answer needs this, not the body (its params can go early)
    dispatcher.dispatch(body, session, (outcomes, fatal) -> {
      try {
        respond(response, callback, batch, outcomes, session, fatal, gzipAnswer);
      } catch (RuntimeException | Error e) {
        // Possibly on the thread that completed an asynchronous function: nobody else would see it.
        failedInternally(response, callback, e);
      }
    });
  }

  /** PROTOCOL.md §15.5: 503 with {@code Parley-Draining: 1}; nothing ran. */
  private void drainingAnswer(Response response, Callback callback) {
    response.getHeaders().put(DRAINING_HEADER, "1");
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

  /** A -32700 answer, after {@code reserve} zero bytes (the sealed plaintext's flag byte). */
  static ResponseBuffer parseErrorAnswer(int reserve) {
    ResponseBuffer out = new ResponseBuffer(128);
    for (int i = 0; i < reserve; i++) {
      out.write(0);
    }
    ServerResponseWriter.writeError(out, RequestId.NULL, RemoteException.PARSE_ERROR,
        PlainDispatcher.PARSE_ERROR_MESSAGE, null);
    return out;
  }

  /** The media type of a Content-Type value, lower case, without parameters; null if absent. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
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
    // when a function needs one (docs/SERVER.md "Sessions"). An encrypted session's id travels in
    // clear, so a plain call naming it must not reach its state: it counts as unknown.
    ServerSession session = sessions.get(id);
    return session == null || session.isEncrypted() ? null : session;
  }

  private void respond(Response response, Callback callback, boolean batch, Outcome[] outcomes,
      LazySession session, Throwable fatal, boolean gzipAnswer) {
    if (fatal != null) {
      failedInternally(response, callback, fatal);
      return;
    }
    ServerSession created = session.createdSession();
    if (created != null && created.isValid()) {
      response.getHeaders().put(SESSION_HEADER, created.id());
    }
    ResponseBuffer out = render(batch, outcomes, false);
    if (out == null) {
      response.setStatus(HttpStatus.NO_CONTENT_204);
      callback.succeeded();
      return;
    }
    sendJson(response, callback, out, gzipAnswer);
  }

  /** Room for a response frame's header (37 bytes) and its last chunk's tag, beyond 16 bytes per 64 KiB. */
  private static final int FRAME_HEADROOM = 64;

  /**
   * The JSON-RPC answer to a body (one response object, or for a {@code batch} an array without
   * notifications), or null when nothing is to be answered. A {@code sealed} answer starts with one
   * zero byte (the sealed plaintext's flag) and is sized with room for the frame it is sealed into
   * in place (PROTOCOL.md §10.1, §10.2: the header and one tag per 64 KiB chunk).
   */
  static ResponseBuffer render(boolean batch, Outcome[] outcomes, boolean sealed) {
    int reserve = sealed ? 1 : 0;
    ResponseBuffer out = null;
    if (batch) {
      for (Outcome outcome : outcomes) {
        if (outcome == null) {
          continue;
        }
        if (out == null) {
          out = new ResponseBuffer(reserve + Math.min(256 * outcomes.length, 64 * 1024));
          for (int i = 0; i < reserve; i++) {
            out.write(0);
          }
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
      int size = reserve + outcomes[0].sizeHint();
      out = new ResponseBuffer(sealed ? size + FRAME_HEADROOM + size / 4096 : size);
      for (int i = 0; i < reserve; i++) {
        out.write(0);
      }
      outcomes[0].write(out);
    }
    return out;
  }

  private void sendJson(Response response, Callback callback, ResponseBuffer out, boolean gzipAnswer) {
    if (compression != Compression.NONE) {
      response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
    }
    if (gzipAnswer && out.size() >= BodyCompression.MIN_BYTES) {
      out = BodyCompression.gzip(out, compression);
      response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
    }
    send(response, callback, HttpStatus.OK_200, JSON, out);
  }

  /** Writes a whole answer with Content-Length in one write. */
  void send(Response response, Callback callback, int status, String contentType, ResponseBuffer out) {
    response.setStatus(status);
    if (isStopping() || (getServer() != null && getServer().isStopping())) {
      // An answer finished during a graceful stop: tell the client not to reuse the connection.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
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

  void tooLarge(Response response, Callback callback) {
    httpError(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
        "The request body is larger than this module's limit of " + maxBodyBytes + " bytes.", true);
  }

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

  /** Shows the path and settings; never a SecureKey (only key ids). */
  @Override
  public String toString() {
    String crypto;
    if (encryptionKey == 0) {
      crypto = "plain";
    } else if (unauthenticated) {
      crypto = "encryptionKey " + encryptionKey + (forceEncryption ? ", forced" : "") + ", no SecureKey (unauthenticated)";
    } else {
      crypto = "encryptionKey " + encryptionKey + ", forced, SecureKey id(s) " + keyIds;
    }
    return "ServerModule[" + path + ", " + groups.size() + " function group(s), " + crypto
        + ", compression " + compression.configName() + (nonBlocking ? ", non-blocking" : "") + "]";
  }

  /** The crypto settings after {@link Builder#build()} resolved them. */
  private record Settings(int encryptionKey, boolean forced, List<SecureKey> keys) {}

  /**
   * Builds a {@link ServerModule}. Each setting may be given once (a second call fails), except
   * that a call replaces a value read by {@link ServerModule#fromConfig}; {@link #build()} checks
   * the combination and says what to change.
   *
   * <pre>{@code
   * ServerModule module = ServerModule.builder("/calc")
   *     .functions(new CalculatorFunctions(impl), new HistoryFunctions(history))
   *     .encryptionKey(32)
   *     .secureKeyFile(Path.of("/run/secrets/calc.key"))   // implies forceEncryption
   *     .compression(Compression.FAST)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final String path;
    private final List<RemoteFunctions> groups = new ArrayList<>();
    /** Settings whose current value came from a config file or the environment: replaceable. */
    private final Set<String> fromConfig = new HashSet<>();
    private Duration autoSessionsLive;
    private long maxSessions;
    private long maxBodyBytes;
    private Integer encryptionKey;
    private Boolean forceEncryption;
    private List<SecureKey> secureKeys;
    private boolean keyFromText;
    private Integer secureKeyId;
    private Boolean allowUnauthenticated;
    private Compression compression;
    private Boolean nonBlocking;
    private Boolean exposeErrorMessages;
    private String apiTitle;
    private String apiVersion;
    private String apiDescription;
    private Consumer<Session> onSessionOpen;
    private Consumer<Session> onSessionClose;
    private Ticker ticker;
    private Clock clock;
    private Executor sessionExecutor;

    private Builder(String path) {
      this.path = Objects.requireNonNull(path, "path == null");
    }

    static Builder from(ConfigSource config) {
      Builder b = new Builder(config.string(ConfigKeys.PATH)
          .orElseThrow(() -> config.missing(ConfigKeys.PATH, "a path such as /calc")));
      config.encryptionKey().ifPresent(b::encryptionKey);
      config.bool(ConfigKeys.FORCE_ENCRYPTION).ifPresent(b::forceEncryption);
      config.bool(ConfigKeys.ALLOW_UNAUTHENTICATED).ifPresent(b::allowUnauthenticated);
      config.integer(ConfigKeys.SECURE_KEY_ID, 0, 255).ifPresent(b::secureKeyId);
      config.compression(ConfigKeys.COMPRESSION).ifPresent(b::compression);
      config.bool(ConfigKeys.NON_BLOCKING).ifPresent(b::nonBlocking);
      config.duration(ConfigKeys.AUTO_SESSIONS_LIVE).ifPresent(b::autoSessionsLive);
      config.longValue(ConfigKeys.MAX_SESSIONS, 1, Long.MAX_VALUE).ifPresent(b::maxSessions);
      config.longValue(ConfigKeys.MAX_BODY_BYTES, 1, Long.MAX_VALUE).ifPresent(b::maxBodyBytes);
      config.bool(ConfigKeys.EXPOSE_ERROR_MESSAGES).ifPresent(b::exposeErrorMessages);
      config.string(ConfigKeys.API_TITLE).ifPresent(b::apiTitle);
      config.string(ConfigKeys.API_VERSION).ifPresent(b::apiVersion);
      config.string(ConfigKeys.API_DESCRIPTION).ifPresent(b::apiDescription);
      config.secureKey().ifPresent(secret -> b.secureKeyText(secret));
      b.fromConfig.addAll(List.of("encryptionKey", "forceEncryption", "allowUnauthenticated", "secureKeyId",
          "compression", "nonBlocking", "autoSessionsLive", "maxSessions", "maxBodyBytes", "secureKey",
          "exposeErrorMessages", "apiTitle", "apiVersion", "apiDescription"));
      return b;
    }

    private void once(String name, boolean alreadySet, Object shown) {
      if (alreadySet && !fromConfig.remove(name)) {
        throw new IllegalStateException(name + " was already set" + (shown == null ? "" : " to " + shown));
      }
      fromConfig.remove(name);
    }

    /** Adds function groups (generated {@code <Type>Functions}); may be called several times. */
    public Builder functions(RemoteFunctions... groups) {
      for (RemoteFunctions group : groups) {
        this.groups.add(Objects.requireNonNull(group, "function group == null"));
      }
      return this;
    }

    /**
     * Promises that this module's functions never block (default false): no I/O, no locks held
     * for long, no waiting on other calls; a function with slow work returns a
     * {@code CompletableFuture} and completes it on its own executor. The module then reads request
     * bodies without blocking and declares the {@code NON_BLOCKING} invocation type, so Jetty runs
     * each call on the I/O (selector) thread that read it, with no hand-off to a pool thread: the
     * contract of gRPC-java's {@code directExecutor()}. It saves a thread wake-up per call (most of
     * a tiny call's overhead; docs/BENCHMARKS.md), but a function that does block stalls every
     * connection served by that I/O thread; the promise covers {@link #onSessionOpen} listeners,
     * which run on the thread that created the session. Jetty only calls a handler this way when
     * every handler of the server is non-blocking: in an {@link RpcServer}, every module must say so
     * (docs/SERVER.md "Non-blocking modules").
     */
    public Builder nonBlocking(boolean nonBlocking) {
      once("nonBlocking", this.nonBlocking != null, this.nonBlocking);
      this.nonBlocking = nonBlocking;
      return this;
    }

    /**
     * Whether the message of an unexpected exception (one that is neither a
     * {@code RemoteException} nor a typed error the function declares) reaches the caller. Default
     * false: the caller gets -32000 {@code "Server error"}, and the exception, message and stack
     * trace go to the server's log only, because messages of library exceptions can carry
     * internals (SQL, paths, host names). Turn it on for development, or when every message your
     * functions throw is meant for callers (docs/ERRORS.md).
     */
    public Builder exposeErrorMessages(boolean expose) {
      once("exposeErrorMessages", exposeErrorMessages != null, exposeErrorMessages);
      this.exposeErrorMessages = expose;
      return this;
    }

    /** The {@code info.title} of the module's OpenRPC document (default {@code "Parley module <path>"}). */
    public Builder apiTitle(String title) {
      once("apiTitle", apiTitle != null, apiTitle);
      this.apiTitle = nonBlank("apiTitle", title);
      return this;
    }

    /** The {@code info.version} of the module's OpenRPC document (default {@code "1.0.0"}), for example {@code "2.1.0"}. */
    public Builder apiVersion(String version) {
      once("apiVersion", apiVersion != null, apiVersion);
      this.apiVersion = nonBlank("apiVersion", version);
      return this;
    }

    /** The {@code info.description} of the module's OpenRPC document (default none); Markdown may be used. */
    public Builder apiDescription(String description) {
      once("apiDescription", apiDescription != null, null);
      this.apiDescription = nonBlank("apiDescription", description);
      return this;
    }

    private static String nonBlank(String name, String value) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }

    /**
     * How long a session lives after its last use (default 10 minutes). Uses of a sealed session
     * are recorded at most once per thousandth of it (at most once a second), so a session may end
     * up to that much earlier than exactly this long after its last call (docs/SERVER.md "Sessions").
     */
    public Builder autoSessionsLive(Duration live) {
      Objects.requireNonNull(live, "autoSessionsLive == null");
      once("autoSessionsLive", autoSessionsLive != null, autoSessionsLive);
      if (live.isNegative() || live.isZero()) {
        throw new IllegalArgumentException("autoSessionsLive must be positive, was " + live);
      }
      this.autoSessionsLive = live;
      return this;
    }

    /** The most sessions kept at once (default 100 000); beyond it the least recently used close. */
    public Builder maxSessions(long max) {
      once("maxSessions", maxSessions != 0, maxSessions);
      if (max <= 0) {
        throw new IllegalArgumentException("maxSessions must be positive, was " + max);
      }
      this.maxSessions = max;
      return this;
    }

    /** The largest request body accepted, in bytes (default 4 MiB); larger bodies get HTTP 413. */
    public Builder maxBodyBytes(long max) {
      once("maxBodyBytes", maxBodyBytes != 0, maxBodyBytes);
      if (max <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be positive, was " + max);
      }
      this.maxBodyBytes = max;
      return this;
    }

    /**
     * 0 (the default without a SecureKey): this module does not encrypt. 16 to 64: it accepts
     * handshakes and sealed calls, and this is the length in bytes of its random contributions
     * (PROTOCOL.md §6). With a SecureKey and no encryptionKey, 32 is used.
     */
    public Builder encryptionKey(int bytes) {
      once("encryptionKey", encryptionKey != null, encryptionKey);
      if (bytes != 0 && (bytes < ConfigKeys.MIN_ENCRYPTION_KEY || bytes > ConfigKeys.MAX_ENCRYPTION_KEY)) {
        throw new IllegalArgumentException("encryptionKey must be 0 (no encryption) or 16 to 64 bytes (32 is a"
            + " good choice), was " + bytes);
      }
      this.encryptionKey = bytes;
      return this;
    }

    /**
     * Never serve plain calls: they get HTTP 412 and nothing runs (PROTOCOL.md §9). Needs
     * encryptionKey &gt; 0. A non-empty SecureKey implies it.
     */
    public Builder forceEncryption(boolean force) {
      once("forceEncryption", forceEncryption != null, forceEncryption);
      this.forceEncryption = force;
      return this;
    }

    /**
     * The SecureKey shared with the clients (implies forceEncryption). Its key id is its own
     * ({@link SecureKey#withKeyId}). Pass {@link SecureKey#none()} (with
     * {@link #allowUnauthenticated(boolean) allowUnauthenticated(true)}) for unauthenticated
     * encryption. Replaces earlier keys.
     */
    public Builder secureKey(SecureKey key) {
      return secureKeys(key);
    }

    /**
     * Several SecureKeys with distinct key ids (at most 4), for a key rotation (PROTOCOL.md §3.3):
     * clients may use any of them; a 410 reject carries a MAC under each.
     */
    public Builder secureKeys(SecureKey... keys) {
      once("secureKey", secureKeys != null, null);
      if (keys.length == 0) {
        throw new IllegalArgumentException("secureKeys needs at least one key");
      }
      List<SecureKey> list = new ArrayList<>();
      for (SecureKey key : keys) {
        list.add(Objects.requireNonNull(key, "secureKey == null"));
      }
      this.secureKeys = List.copyOf(list);
      this.keyFromText = false;
      if (fromConfig.remove("secureKeyId")) {
        secureKeyId = null;     // the file's key id belonged to the file's key
      }
      return this;
    }

    /**
     * The SecureKey as hex or base64 text (PROTOCOL.md §3.1; at least 32 random bytes). Its key
     * id is {@link #secureKeyId(int)} (default 0).
     *
     * @throws IllegalArgumentException the text is not such a key (the message never shows it)
     */
    public Builder secureKey(String text) {
      Objects.requireNonNull(text, "secureKey == null");
      SecureKey key = SecureKey.parse(text);
      once("secureKey", secureKeys != null, null);
      this.secureKeys = List.of(key);
      this.keyFromText = true;
      return this;
    }

    /**
     * Reads the SecureKey from a file holding only the key, as hex or base64 (prefer it to an
     * inline key; {@code chmod 600}). A file others may read is logged as a warning.
     *
     * @throws ConfigException the file is missing, unreadable or holds no valid key (never shown)
     */
    public Builder secureKeyFile(Path file) {
      Objects.requireNonNull(file, "secureKeyFile == null");
      SecureKey key = parseSecret(SecureKeyFile.read(file));
      once("secureKey", secureKeys != null, null);
      this.secureKeys = List.of(key);
      this.keyFromText = true;
      return this;
    }

    private void secureKeyText(SecretText secret) {
      this.secureKeys = List.of(parseSecret(secret));
      this.keyFromText = true;
    }

    private static SecureKey parseSecret(SecretText secret) {
      secret.warning().ifPresent(LOG::warn);
      try {
        return SecureKey.parse(secret.text());
      } catch (IllegalArgumentException e) {     // its message never shows the key
        throw secret.invalid("a hex or base64 key of 32 to 1024 bytes", e);
      }
    }

    /** The key id (0..255, default 0) of a SecureKey given as text or file, for rotation. */
    public Builder secureKeyId(int id) {
      once("secureKeyId", secureKeyId != null, secureKeyId);
      if (id < 0 || id > 255) {
        throw new IllegalArgumentException("secureKeyId must be 0 to 255, was " + id);
      }
      this.secureKeyId = id;
      return this;
    }

    /**
     * Allows encryption without a SecureKey (Noise_NN, PROTOCOL.md §8): it stops eavesdroppers,
     * not an active man in the middle, and any client can open a session. Required when
     * encryptionKey &gt; 0 and no SecureKey is set; the module then logs a warning once.
     */
    public Builder allowUnauthenticated(boolean allow) {
      once("allowUnauthenticated", allowUnauthenticated != null, allowUnauthenticated);
      this.allowUnauthenticated = allow;
      return this;
    }

    /**
     * How answers are compressed (default none): sealed answers inside the plaintext (raw
     * DEFLATE), plain answers with {@code Content-Encoding: gzip} when the request accepts it.
     * Bodies under 256 bytes are never compressed. Compressed requests are accepted whatever this is.
     */
    public Builder compression(Compression compression) {
      Objects.requireNonNull(compression, "compression == null");
      once("compression", this.compression != null, this.compression);
      this.compression = compression;
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

    /**
     * TESTING HOOK: the clock of the session cache (Caffeine's {@link Ticker}), so a test can expire
     * sessions by advancing it instead of sleeping. With it, no background scheduler removes
     * expired sessions: they are removed when the cache is next used. Do not use in production.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker == null");
      return this;
    }

    /**
     * TESTING HOOK: the wall clock for handshake tokens (30 s TTL, PROTOCOL.md §6.3), session
     * creation times and the encrypted sessions' maximum age (24 h, PROTOCOL.md §12.4). Default:
     * the system UTC clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
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
     * @throws IllegalArgumentException for a malformed path, no functions, a function name
     *     declared by two groups (the message names both), or an invalid combination of the
     *     encryption settings (the message says what to change)
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
      return new ServerModule(this, settings());
    }

    /** Resolves and checks the encryption settings (docs/SERVER.md "Encryption"). */
    private Settings settings() {
      String module = "module " + path + ": ";
      List<SecureKey> keys = secureKeys == null ? List.of() : secureKeys;
      if (secureKeyId != null) {
        if (keys.isEmpty()) {
          throw new IllegalArgumentException(module + "secureKeyId is set but there is no SecureKey; set secureKey"
              + " or secureKeyFile, or remove secureKeyId");
        }
        if (!keyFromText) {
          throw new IllegalArgumentException(module + "secureKeyId applies to a key given as text or file; give"
              + " SecureKey objects their id with SecureKey.withKeyId(...) and remove secureKeyId");
        }
        if (secureKeyId != 0) {
          keys = List.of(keys.get(0).withKeyId(secureKeyId));
        }
      }
      boolean anyNone = keys.stream().anyMatch(SecureKey::isNone);
      boolean real = keys.stream().anyMatch(k -> !k.isNone());
      if (anyNone && real) {
        throw new IllegalArgumentException(module + "SecureKey.none() cannot be combined with real SecureKeys"
            + " (that would allow a downgrade); configure one or the other");
      }
      if (keys.size() > 4) {
        throw new IllegalArgumentException(module + "at most 4 SecureKeys may overlap (a 410 reject holds one MAC"
            + " per key); remove old keys, got " + keys.size());
      }
      Set<Integer> ids = new HashSet<>();
      for (SecureKey key : keys) {
        if (!ids.add(key.keyId())) {
          throw new IllegalArgumentException(module + "two SecureKeys share key id " + key.keyId()
              + "; give the new one another id with SecureKey.withKeyId(...)");
        }
      }
      int bytes = encryptionKey != null ? encryptionKey : real ? DEFAULT_ENCRYPTION_KEY : 0;
      if (real && bytes == 0) {
        throw new IllegalArgumentException(module + "a SecureKey is set but encryptionKey is 0; set encryptionKey"
            + " to 16..64 (32 is a good choice), or remove the SecureKey to serve plain calls");
      }
      if (real && Boolean.FALSE.equals(forceEncryption)) {
        throw new IllegalArgumentException(module + "a SecureKey implies forceEncryption; remove forceEncryption"
            + " false (or remove the SecureKey to serve plain calls)");
      }
      boolean forced = real || Boolean.TRUE.equals(forceEncryption);
      if (forced && bytes == 0) {
        throw new IllegalArgumentException(module + "forceEncryption needs encryption; set encryptionKey to 16..64"
            + " (32 is a good choice), or remove forceEncryption");
      }
      if (bytes > 0 && !real) {
        if (!Boolean.TRUE.equals(allowUnauthenticated)) {
          throw new IllegalArgumentException(module + "encryptionKey " + bytes + " without a SecureKey would be"
              + " unauthenticated encryption (no protection against an active man in the middle); set"
              + " secureKey or secureKeyFile, or opt in with allowUnauthenticated(true)");
        }
        keys = List.of(anyNone ? keys.get(0) : SecureKey.none());
        LOG.warn(SecureKey.UNAUTHENTICATED_WARNING);
      }
      if (bytes == 0) {
        keys = List.of();
      }
      return new Settings(bytes, forced, keys);
    }
  }
}
