package dev.parley.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Compression;
import dev.parley.ConfigException;
import dev.parley.RemoteFunctions;
import dev.parley.Session;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.config.ConfigSource;
import dev.parley.internal.config.EncryptionRules;
import dev.parley.internal.config.SecretText;
import dev.parley.internal.config.SecureKeyFile;
import dev.parley.internal.config.SetOnce;
import dev.parley.server.internal.TestHooks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings and setters of {@link ServerModule.Builder}, kept apart from the module (its public
 * methods are documented as the builder's). Each setting may be given once ({@link SetOnce});
 * {@link ServerSettings} checks them together at {@link ServerModule.Builder#build()}.
 */
abstract class ServerBuilderBase {
  private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);

  final SetOnce once = new SetOnce();
  final String path;
  String route;
  final List<RemoteFunctions> groups = new ArrayList<>();
  final List<ServerListener> listeners = new ArrayList<>();
  Duration autoSessionsLive;
  long maxSessions;
  long maxBodyBytes;
  Integer encryptionKey;
  Boolean forceEncryption;
  List<SecureKey> secureKeys;
  boolean keyFromText;
  /** Where {@link ServerModule#reloadKeys()} reads the keys again: the key file given in code, or the config. */
  Path keyFile;
  ConfigSource keyConfig;
  Integer secureKeyId;
  Boolean allowUnauthenticated;
  Compression compression;
  Boolean nonBlocking;
  Boolean exposeErrorMessages;
  String apiTitle;
  String apiVersion;
  String apiDescription;
  Consumer<Session> onSessionOpen;
  Consumer<Session> onSessionClose;
  Ticker ticker;
  Clock clock;
  Executor sessionExecutor;
  final List<ServerInterceptor> interceptors = new ArrayList<>();
  Scheduler deadlineScheduler;

  ServerBuilderBase(String path) {
    this.path = Objects.requireNonNull(path, "path == null");
  }

  private ServerModule.Builder self() {
    return (ServerModule.Builder) this;
  }

  /**
   * The module route bound into every handshake and frame (PROTOCOL.md §5, §10.4), when it differs
   * from the path the module answers at (default: the path). Behind a reverse proxy that strips a
   * prefix, the module answers at {@code /calc} while its clients call {@code /api/calc}: set the
   * route to the public path, {@code /api/calc}, which the clients bind by default. A client with
   * another route than its module fails its handshake (HTTP 403), nothing runs. Two modules of one
   * server must not share a route.
   */
  public ServerModule.Builder route(String route) {
    Objects.requireNonNull(route, "route == null");
    once.set("route", this.route);
    this.route = route;
    return self();
  }

  /** Adds function groups (generated {@code <Type>Functions}); may be called several times. */
  public ServerModule.Builder functions(RemoteFunctions... groups) {
    for (RemoteFunctions group : groups) {
      this.groups.add(Objects.requireNonNull(group, "function group == null"));
    }
    return self();
  }

  /**
   * Adds interceptors that run around every call of this module's functions (docs/SERVER.md
   * "Interceptors"); may be called several times. The first one added is the outermost. A module
   * without interceptors pays nothing for the mechanism.
   */
  public ServerModule.Builder interceptors(ServerInterceptor... interceptors) {
    for (ServerInterceptor interceptor : interceptors) {
      this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
    }
    return self();
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
  public ServerModule.Builder nonBlocking(boolean nonBlocking) {
    once.set("nonBlocking", this.nonBlocking);
    this.nonBlocking = nonBlocking;
    return self();
  }

  /**
   * Whether the message of an unexpected exception (one that is neither a
   * {@code RemoteException} nor a typed error the function declares) reaches the caller. Default
   * false: the caller gets -32000 {@code "Server error"}, and the exception, message and stack
   * trace go to the server's log only, because messages of library exceptions can carry
   * internals (SQL, paths, host names). Turn it on for development, or when every message your
   * functions throw is meant for callers (docs/ERRORS.md).
   */
  public ServerModule.Builder exposeErrorMessages(boolean expose) {
    once.set("exposeErrorMessages", exposeErrorMessages);
    this.exposeErrorMessages = expose;
    return self();
  }

  /** The {@code info.title} of the module's OpenRPC document (default {@code "Parley module <path>"}). */
  public ServerModule.Builder apiTitle(String title) {
    once.set("apiTitle", apiTitle);
    this.apiTitle = nonBlank("apiTitle", title);
    return self();
  }

  /** The {@code info.version} of the module's OpenRPC document (default {@code "1.0.0"}), for example {@code "2.1.0"}. */
  public ServerModule.Builder apiVersion(String version) {
    once.set("apiVersion", apiVersion);
    this.apiVersion = nonBlank("apiVersion", version);
    return self();
  }

  /** The {@code info.description} of the module's OpenRPC document (default none); Markdown may be used. */
  public ServerModule.Builder apiDescription(String description) {
    once.set("apiDescription", null);
    this.apiDescription = nonBlank("apiDescription", description);
    return self();
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
  public ServerModule.Builder autoSessionsLive(Duration live) {
    Objects.requireNonNull(live, "autoSessionsLive == null");
    once.set("autoSessionsLive", autoSessionsLive);
    if (live.isNegative() || live.isZero()) {
      throw new IllegalArgumentException("autoSessionsLive must be positive, was " + live);
    }
    this.autoSessionsLive = live;
    return self();
  }

  /** The most sessions kept at once (default 100 000); beyond it the least recently used close. */
  public ServerModule.Builder maxSessions(long max) {
    once.set("maxSessions", maxSessions);
    if (max <= 0) {
      throw new IllegalArgumentException("maxSessions must be positive, was " + max);
    }
    this.maxSessions = max;
    return self();
  }

  /** The largest request body accepted, in bytes (default 4 MiB); larger bodies get HTTP 413. */
  public ServerModule.Builder maxBodyBytes(long max) {
    once.set("maxBodyBytes", maxBodyBytes);
    if (max <= 0) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + max);
    }
    this.maxBodyBytes = max;
    return self();
  }

  /**
   * 0 (the default without a SecureKey): this module does not encrypt. 16 to 64: it accepts
   * handshakes and sealed calls, and this is the length in bytes of its random contributions
   * (PROTOCOL.md §6). With a SecureKey and no encryptionKey, 32 is used.
   */
  public ServerModule.Builder encryptionKey(int bytes) {
    once.set("encryptionKey", encryptionKey);
    this.encryptionKey = EncryptionRules.checkEncryptionKey(bytes);
    return self();
  }

  /**
   * Never serve plain calls: they get HTTP 412 and nothing runs (PROTOCOL.md §9). Needs
   * encryptionKey &gt; 0. A non-empty SecureKey implies it.
   */
  public ServerModule.Builder forceEncryption(boolean force) {
    once.set("forceEncryption", forceEncryption);
    this.forceEncryption = force;
    return self();
  }

  /**
   * The SecureKey shared with the clients (implies forceEncryption). Its key id is its own
   * ({@link SecureKey#withKeyId}). Pass {@link SecureKey#none()} (with
   * {@link #allowUnauthenticated(boolean) allowUnauthenticated(true)}) for unauthenticated
   * encryption. Replaces earlier keys.
   */
  public ServerModule.Builder secureKey(SecureKey key) {
    return secureKeys(key);
  }

  /**
   * Several SecureKeys with distinct key ids (at most 4), for a key rotation (PROTOCOL.md §3.3):
   * clients may use any of them; a 410 reject carries a MAC under each.
   */
  public ServerModule.Builder secureKeys(SecureKey... keys) {
    once.set("secureKey", null);
    if (keys.length == 0) {
      throw new IllegalArgumentException("secureKeys needs at least one key");
    }
    List<SecureKey> list = new ArrayList<>();
    for (SecureKey key : keys) {
      list.add(Objects.requireNonNull(key, "secureKey == null"));
    }
    this.secureKeys = List.copyOf(list);
    this.keyFromText = false;
    this.keyFile = null;
    this.keyConfig = null;
    if (once.dropConfigured("secureKeyId")) {
      secureKeyId = null;     // the file's key id belonged to the file's key
    }
    return self();
  }

  /**
   * The SecureKey as hex or base64 text (PROTOCOL.md §3.1; at least 32 random bytes). Its key
   * id is {@link #secureKeyId(int)} (default 0).
   *
   * @throws IllegalArgumentException the text is not such a key (the message never shows it)
   */
  public ServerModule.Builder secureKey(String text) {
    Objects.requireNonNull(text, "secureKey == null");
    SecureKey key = SecureKey.parse(text);
    once.set("secureKey", null);
    this.secureKeys = List.of(key);
    this.keyFromText = true;
    this.keyFile = null;
    this.keyConfig = null;
    return self();
  }

  /**
   * Reads the SecureKey from a file holding only the key, as hex or base64 (prefer it to an
   * inline key; {@code chmod 600}). A file others may read is logged as a warning.
   * {@link ServerModule#reloadKeys()} reads it again.
   *
   * @throws ConfigException the file is missing, unreadable or holds no valid key (never shown)
   */
  public ServerModule.Builder secureKeyFile(Path file) {
    Objects.requireNonNull(file, "secureKeyFile == null");
    SecureKey key = parseSecret(SecureKeyFile.read(file));
    once.set("secureKey", null);
    this.secureKeys = List.of(key);
    this.keyFromText = true;
    this.keyFile = file;
    this.keyConfig = null;
    return self();
  }

  /** The key of secureKey or secureKeyFile from {@code config}, which a reload reads again. */
  void secureKeyText(SecretText secret, ConfigSource config) {
    once.set("secureKey", null);
    this.secureKeys = List.of(parseSecret(secret));
    this.keyFromText = true;
    this.keyConfig = config;
  }

  /** The keys of secureKeys from {@code config}, which a reload reads again. */
  void secureKeyEntries(List<SecureKey> keys, ConfigSource config) {
    once.set("secureKey", null);
    this.secureKeys = keys;
    this.keyFromText = false;
    this.keyConfig = config;
  }

  static SecureKey parseSecret(SecretText secret) {
    secret.warning().ifPresent(LOG::warn);
    try {
      return SecureKey.parse(secret.text());
    } catch (IllegalArgumentException e) {     // its message never shows the key
      throw secret.invalid("a hex or base64 key of 32 to 1024 bytes", e);
    }
  }

  /** The key id (0..255, default 0) of a SecureKey given as text or file, for rotation. */
  public ServerModule.Builder secureKeyId(int id) {
    once.set("secureKeyId", secureKeyId);
    if (id < 0 || id > 255) {
      throw new IllegalArgumentException("secureKeyId must be 0 to 255, was " + id);
    }
    this.secureKeyId = id;
    return self();
  }

  /**
   * Allows encryption without a SecureKey (Noise_NN, PROTOCOL.md §8): it stops eavesdroppers,
   * not an active man in the middle, and any client can open a session. Required when
   * encryptionKey &gt; 0 and no SecureKey is set; the module then logs a warning once.
   */
  public ServerModule.Builder allowUnauthenticated(boolean allow) {
    once.set("allowUnauthenticated", allowUnauthenticated);
    this.allowUnauthenticated = allow;
    return self();
  }

  /**
   * How answers are compressed (default none): sealed answers inside the plaintext (raw
   * DEFLATE), plain answers with {@code Content-Encoding: gzip} when the request accepts it.
   * Bodies under 256 bytes are never compressed. Compressed requests are accepted whatever this is.
   */
  public ServerModule.Builder compression(Compression compression) {
    Objects.requireNonNull(compression, "compression == null");
    once.set("compression", this.compression);
    this.compression = compression;
    return self();
  }

  /**
   * Adds listeners for the module's handshakes, refused handshakes and frames, and sessions
   * ({@link ServerListener}); may be called several times, and each listener gets every event in
   * the order they were added. Default none.
   */
  public ServerModule.Builder listeners(ServerListener... listeners) {
    for (ServerListener listener : listeners) {
      this.listeners.add(Objects.requireNonNull(listener, "listener == null"));
    }
    return self();
  }

  /** Called once per new session, on the thread that created it (a request thread). */
  public ServerModule.Builder onSessionOpen(Consumer<Session> listener) {
    Objects.requireNonNull(listener, "onSessionOpen == null");
    once.set("onSessionOpen", null);
    this.onSessionOpen = listener;
    return self();
  }

  /**
   * Called once per ended session (expired, evicted, invalidated), before its attributes are
   * cleared, on a background thread.
   */
  public ServerModule.Builder onSessionClose(Consumer<Session> listener) {
    Objects.requireNonNull(listener, "onSessionClose == null");
    once.set("onSessionClose", null);
    this.onSessionClose = listener;
    return self();
  }

  /**
   * TEST HOOK (rpc-testing's ManualTicker reaches it through {@link TestHooks}): the clock of the
   * session cache (Caffeine's {@link Ticker}), so a test can expire sessions by advancing it instead
   * of sleeping. With it, no background scheduler removes expired sessions: they are removed when
   * the cache is next used. It also times the once-a-minute lines about refused frames ({@link RejectLog}).
   */
  ServerModule.Builder ticker(Ticker ticker) {
    once.set("ticker", null);
    this.ticker = Objects.requireNonNull(ticker, "ticker == null");
    return self();
  }

  /**
   * TEST HOOK (rpc-testing's ManualClock reaches it through {@link TestHooks}): the wall clock for
   * handshake tokens (30 s TTL, PROTOCOL.md §6.3), session creation times and the encrypted
   * sessions' maximum age (24 h, PROTOCOL.md §12.4). Default: the system UTC clock.
   */
  ServerModule.Builder clock(Clock clock) {
    once.set("clock", null);
    this.clock = Objects.requireNonNull(clock, "clock == null");
    return self();
  }

  /**
   * TEST HOOK (through {@link TestHooks}): the scheduler whose timers end calls at their deadline,
   * so a test fires a deadline when it chooses instead of waiting for it. Default: Jetty's.
   */
  ServerModule.Builder deadlineScheduler(Scheduler scheduler) {
    once.set("deadlineScheduler", null);
    this.deadlineScheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    return self();
  }

  /** TEST HOOK: where session maintenance and close events run. */
  ServerModule.Builder sessionExecutor(Executor executor) {
    this.sessionExecutor = Objects.requireNonNull(executor, "executor == null");
    return self();
  }
}
