package dev.parley.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Compression;
import dev.parley.RemoteFunctions;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureKey;
import dev.parley.crypto.ServerChannel;
import dev.parley.internal.config.ConfigKeys;
import dev.parley.internal.config.ConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
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
 * <p>Immutable after {@link Builder#build()}, but for its SecureKeys ({@link #reloadKeys()}); thread-safe.
 */
public final class ServerModule extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);
  /** The HTTP header that carries the session id, both ways. */
  public static final String SESSION_HEADER = HttpBinding.SESSION_HEADER;
  /** The header of a plain 503 from a module that stops gracefully (PROTOCOL.md §15.5, §15.7). */
  public static final String DRAINING_HEADER = HttpBinding.DRAINING_HEADER;

  private final String path;
  private final String route;
  private final Duration autoSessionsLive;
  private final long maxSessions;
  private final long maxBodyBytes;
  private final int encryptionKey;
  private final boolean forceEncryption;
  private final boolean unauthenticated;
  private final ModuleKeys keySource;
  private final Compression compression;
  private final boolean nonBlocking;
  /** Non-blocking mode: the most body bytes collected in memory before the module's bounds apply. */
  private final long collectLimit;
  private final List<RemoteFunctions> groups;
  private final boolean exposeErrorMessages;
  private final SessionStore sessions;
  private final PlainDispatcher dispatcher;
  private final Answers answers;
  private final PlainEndpoint plain;
  private final SecureEndpoint secure;   // null when encryptionKey is 0
  /** Set when a graceful stop begins: new calls are answered "not run" (PROTOCOL.md §15.7). */
  private volatile boolean draining;

  static {
    Hooks.register();   // rpc-testing and rpc-bench reach the test hooks through TestHooks
  }

  private ServerModule(ServerSettings s) {
    super(s.nonBlocking ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING);
    ServerBuilderBase b = s.b;
    this.path = b.path;
    this.route = s.route;
    this.keySource = s.keySource;
    this.nonBlocking = s.nonBlocking;
    this.autoSessionsLive = s.autoSessionsLive;
    this.maxSessions = s.maxSessions;
    this.maxBodyBytes = s.maxBodyBytes;
    this.encryptionKey = s.encryptionKey;
    this.forceEncryption = s.forced;
    this.unauthenticated = s.keys.size() == 1 && s.keys.get(0).isNone();
    this.compression = s.compression;
    this.groups = List.copyOf(b.groups);
    this.exposeErrorMessages = s.exposeErrorMessages;
    ServerEvents events = new ServerEvents(path, b.listeners, b.ticker == null ? Ticker.systemTicker() : b.ticker);
    this.sessions = new CaffeineSessionStore(autoSessionsLive, maxSessions, events.onOpen(b.onSessionOpen),
        events.onClose(b.onSessionClose), b.ticker, b.sessionExecutor, b.ticker == null, s.clock);
    this.dispatcher = new PlainDispatcher(path, new FunctionRegistry(groups),
        OpenRpcDocument.Info.of(path, b.apiTitle, b.apiVersion, b.apiDescription), exposeErrorMessages,
        b.interceptors);
    RequestScope.Settings scopes = new RequestScope.Settings(path, s.clock, b.deadlineScheduler, !s.nonBlocking);
    this.answers = new Answers(path, maxBodyBytes, compression,
        () -> isStopping() || (getServer() != null && getServer().isStopping()));
    this.plain = new PlainEndpoint(dispatcher, sessions, answers, forceEncryption, encryptionKey > 0, compression,
        maxBodyBytes, this::isDraining, scopes);
    this.secure = encryptionKey == 0 ? null : new SecureEndpoint(route, s.keys, encryptionKey, s.clock,
        ServerChannel.DEFAULT_MAX_AGE, maxBodyBytes, compression, sessions, dispatcher, answers, this::isDraining,
        scopes, events);
    this.collectLimit = secure == null ? maxBodyBytes : Math.max(maxBodyBytes, secure.maxFrameBytes());
  }

  /** Starts a builder for a module served at {@code path} (for example {@code "/calc"}). */
  public static Builder builder(String path) {
    return new Builder(path);
  }

  /**
   * A builder filled from a YAML ({@code .yml}, {@code .yaml}) or properties file, with
   * environment overrides {@code PARLEY_<KEY>}, or with the prefix the file's {@code envPrefix}
   * names (docs/CONFIG.md). The file must name the {@code path}; add the functions in code. A
   * builder call made afterwards replaces the file's value. A module built from it re-reads its
   * SecureKeys from the file (and the environment) on {@link #reloadKeys()}.
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
    return ServerSettings.fromConfig(ConfigSource.load(file, ConfigKeys.SERVER, env));
  }

  /**
   * {@link #fromConfig(Path)} with this module's own environment prefix: with {@code "PARLEY_CALC"}
   * only {@code PARLEY_CALC_<KEY>} variables override the file ({@code PARLEY_CALC_SECURE_KEY_FILE}),
   * so two modules of one process are overridden apart. It wins over the file's {@code envPrefix}.
   *
   * @throws IllegalArgumentException {@code envPrefix} is not upper-case letters, digits and {@code _}
   */
  public static Builder fromConfig(Path file, String envPrefix) {
    return fromConfig(file, envPrefix, System.getenv());
  }

  /** {@link #fromConfig(Path, String)} with {@code env} in place of the process environment (tests). */
  public static Builder fromConfig(Path file, String envPrefix, Map<String, String> env) {
    return ServerSettings.fromConfig(ConfigSource.load(file, ConfigKeys.SERVER, env,
        java.util.Objects.requireNonNull(envPrefix, "envPrefix == null")));
  }

  /** The path this module answers at. */
  public String path() {
    return path;
  }

  /**
   * The route bound into every handshake and frame (PROTOCOL.md §5, §10.4): {@link Builder#route}, or
   * the path.
   */
  public String route() {
    return route;
  }

  /**
   * The key ids of the SecureKeys new handshakes may use now (PROTOCOL.md §3.3); empty for a module
   * that does not encrypt or runs without a SecureKey.
   */
  public List<Integer> keyIds() {
    return secure == null || unauthenticated ? List.of() : secure.keyIds();
  }

  /**
   * Reads this module's SecureKeys again from where they came from — the config file (and the
   * environment, with the same prefix) of {@link #fromConfig}, or the file of
   * {@link Builder#secureKeyFile} — and uses them for new handshakes: a key rotation without a
   * restart (docs/CONFIG.md "Key rotation"). Live sessions keep working on their keys; a key that is
   * no longer there opens no session from now on, not even one whose handshake began before. Only the
   * key settings are read ({@code secureKey}, {@code secureKeyFile}, {@code secureKeys},
   * {@code secureKeyId}); other changes in the file take effect at the next start. Thread-safe.
   *
   * <pre>{@code
   * // calc-server.yml now lists the new key next to the old one:
   * //   secureKeys:
   * //     - {id: 1, file: /run/secrets/calc-1.key}
   * //     - {id: 2, file: /run/secrets/calc-2.key}
   * List<Integer> ids = calc.reloadKeys();   // [1, 2]
   * }</pre>
   *
   * @return the key ids in use now
   * @throws dev.parley.ConfigException a file cannot be read or holds no valid key; the keys in use stay
   * @throws IllegalArgumentException the new keys break a rule (more than 4, an id twice); the keys in use stay
   * @throws IllegalStateException the module does not use SecureKeys, or got them as objects or text in
   *     code (then use {@link #reloadKeys(SecureKey...)})
   */
  public synchronized List<Integer> reloadKeys() {
    checkKeyed();
    return useKeys(keySource.read());
  }

  /**
   * Uses {@code keys} for new handshakes from now on, as {@link #reloadKeys()} does with keys read
   * from their files.
   *
   * @throws IllegalArgumentException no key, more than 4, an id twice, or {@link SecureKey#none()}; the
   *     keys in use stay
   * @throws IllegalStateException the module does not use SecureKeys
   */
  public synchronized List<Integer> reloadKeys(SecureKey... keys) {
    checkKeyed();
    List<SecureKey> list = List.of(keys);
    ModuleKeys.check(list, "module " + path + ": ");
    return useKeys(list);
  }

  /**
   * For {@link RpcServer#reloadKeys()}: reads and checks the keys (nothing changes yet) and returns
   * what uses them; null when this module's keys do not come from files.
   */
  Runnable prepareKeyReload() {
    if (secure == null || unauthenticated || !keySource.reloadable()) {
      return null;
    }
    List<SecureKey> keys = keySource.read();
    return () -> useKeys(keys);
  }

  private synchronized List<Integer> useKeys(List<SecureKey> keys) {
    List<Integer> before = secure.keyIds();
    secure.replaceKeys(keys);
    List<Integer> now = secure.keyIds();
    LOG.info("module {}: SecureKeys reloaded; key ids {} (were {}); live sessions kept", path, now, before);
    return now;
  }

  private void checkKeyed() {
    if (secure == null || unauthenticated) {
      throw new IllegalStateException("module " + path + " does not use SecureKeys (" + (secure == null
          ? "it does not encrypt" : "it encrypts without one") + "); there are no keys to reload");
    }
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
      answers.failedInternally(response, callback, e);
      if (e instanceof VirtualMachineError) {
        throw e;
      }
    }
  }

  /** PROTOCOL.md §15.1: the method, then the content type tells plain, handshake and sealed bodies apart. */
  private void serve(Request request, Response response, Callback callback) {
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      Answers.httpError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "Use POST for JSON-RPC calls.", false);
      return;
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String mediaType = mediaType(contentType);
    boolean handshake = HttpBinding.HANDSHAKE_TYPE.equals(mediaType);
    if (!handshake && !HttpBinding.SEALED_TYPE.equals(mediaType)) {
      plain.call(request, response, callback, contentType);
    } else if (secure == null) {
      response.getHeaders().put("Accept-Post", Answers.JSON);
      Answers.httpError(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, SecureEndpoint.NOT_ENCRYPTING, false);
    } else if (!handshake) {
      secure.sealedCall(request, response, callback);
    } else if (draining) {
      answers.draining(response, callback);   // PROTOCOL.md §15.7: no new session on a stopping instance
    } else {
      secure.handshake(request, response, callback);
    }
  }

  /** The media type of a Content-Type value, lower case, without parameters; null if absent. */
  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
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
      crypto = "encryptionKey " + encryptionKey + ", forced, SecureKey id(s) " + secure.keyIds();
    }
    return "ServerModule[" + path + (route.equals(path) ? "" : ", route " + route) + ", " + groups.size()
        + " function group(s), " + crypto
        + ", compression " + compression.configName() + (nonBlocking ? ", non-blocking" : "") + "]";
  }

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
  public static final class Builder extends ServerBuilderBase {
    private Builder(String path) {
      super(path);
    }

    /**
     * Builds the module.
     *
     * @throws IllegalArgumentException for a malformed path, no functions, a function name
     *     declared by two groups (the message names both), or an invalid combination of the
     *     encryption settings (the message says what to change)
     */
    public ServerModule build() {
      return new ServerModule(ServerSettings.check(this));
    }
  }
}
