package dev.parley.internal.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The names of the settings a config file may hold. Each name is also the builder method's name
 * and, through {@link #envName}, the environment variable that overrides it
 * ({@code encryptionKey} ↔ {@code PARLEY_ENCRYPTION_KEY}). Three kinds of file hold different keys:
 * a server module's ({@link #SERVER}), a client module's ({@link #CLIENT}) and an {@code RpcServer}'s
 * ({@link #RPC_SERVER}). docs/CONFIG.md documents every key.
 */
public final class ConfigKeys {
  /** The default prefix of the environment overrides; a file may choose its own ({@link #ENV_PREFIX_SETTING}). */
  public static final String ENV_PREFIX = "PARLEY_";

  /**
   * string: the prefix of this file's environment overrides instead of {@code PARLEY_}, such as
   * {@code PARLEY_CALC_}; every kind of file. Never read from the environment itself.
   */
  public static final String ENV_PREFIX_SETTING = "envPrefix";

  // Shared by server modules and clients.
  /** int: 0 = this side does not encrypt, else 16..64 (PROTOCOL.md §6). */
  public static final String ENCRYPTION_KEY = "encryptionKey";
  /** boolean: never talk plain. */
  public static final String FORCE_ENCRYPTION = "forceEncryption";
  /** secret string: the SecureKey in hex or base64. Never shown. */
  public static final String SECURE_KEY = "secureKey";
  /** path: a file holding the SecureKey; relative to the config file's folder. */
  public static final String SECURE_KEY_FILE = "secureKeyFile";
  /** int 0..255: the SecureKey's key id (PROTOCOL.md §3.3). */
  public static final String SECURE_KEY_ID = "secureKeyId";
  /** boolean: accept encryption without a SecureKey (Noise_NN, PROTOCOL.md §8). */
  public static final String ALLOW_UNAUTHENTICATED = "allowUnauthenticated";
  /** none|fast|default|max. */
  public static final String COMPRESSION = "compression";
  /** long bytes: the largest body accepted (after inflating). */
  public static final String MAX_BODY_BYTES = "maxBodyBytes";
  /** string: the module's path ({@code /calc}); server: required; client: appended to {@link #URL}. */
  public static final String PATH = "path";

  // Server modules only.
  /**
   * string: the module route bound into the handshake and every frame (PROTOCOL.md §5, §10.4), when
   * it is not the module's path (behind a prefix-stripping proxy: the public path). Default: the
   * path. A client always binds its URL's path.
   */
  public static final String ROUTE = "route";
  /** duration: sessions expire this long after their last use. */
  public static final String AUTO_SESSIONS_LIVE = "autoSessionsLive";
  /** long: the most sessions kept at once. */
  public static final String MAX_SESSIONS = "maxSessions";
  /** boolean: the message of an unexpected exception reaches the caller (default false). */
  public static final String EXPOSE_ERROR_MESSAGES = "exposeErrorMessages";
  /** string: the OpenRPC document's {@code info.title}. */
  public static final String API_TITLE = "apiTitle";
  /** string: the OpenRPC document's {@code info.version}. */
  public static final String API_VERSION = "apiVersion";
  /** string: the OpenRPC document's {@code info.description}. */
  public static final String API_DESCRIPTION = "apiDescription";
  /** boolean: the module's functions never block; calls run on Jetty's I/O thread. */
  public static final String NON_BLOCKING = "nonBlocking";
  /**
   * list: several SecureKeys with their key ids, each from a file ({@code id: 1, file: calc-1.key} in a
   * YAML list, or {@code 1:calc-1.key, 2:calc-2.key}); one setting with {@link #SECURE_KEY}.
   */
  public static final String SECURE_KEYS = "secureKeys";

  // Clients only.
  /** string: the module's URL, or a base URL to which {@link #PATH} is appended. */
  public static final String URL = "url";
  /** boolean: re-handshake and re-send after an HTTP 410. */
  public static final String AUTO_REPOST = "autoRepost";
  /** duration, 0 = no limit. */
  public static final String CONNECT_TIMEOUT = "connectTimeout";
  /** duration, 0 = no limit. */
  public static final String READ_TIMEOUT = "readTimeout";
  /** duration, 0 = no limit. */
  public static final String WRITE_TIMEOUT = "writeTimeout";
  /** duration, 0 = no limit. */
  public static final String CALL_TIMEOUT = "callTimeout";
  /** Client: whether calls wait (within their call timeout) for a server that refuses connections. */
  public static final String WAIT_FOR_SERVER = "waitForServer";
  /** Client: probe an encrypted session idle for this long before sealing a call on it. */
  public static final String PROBE_AFTER_IDLE = "probeAfterIdle";
  /** Client: duration, 0 = off: ping an encrypted session once per period in which no call used it. */
  public static final String AUTO_SESSIONS_PING = "autoSessionsPing";
  /** int ≥ 1: concurrent asynchronous calls per host. */
  public static final String MAX_REQUESTS_PER_HOST = "maxRequestsPerHost";
  /** boolean: speak HTTP/2 cleartext with prior knowledge (h2c) instead of HTTP/1.1; http:// only. */
  public static final String HTTP2_PRIOR_KNOWLEDGE = "http2PriorKnowledge";

  // RpcServer (the Jetty server hosting the modules).
  /** string: the interface to bind. */
  public static final String HOST = "host";
  /** int 0..65535: the port (0 = a free one). */
  public static final String PORT = "port";
  /** int: the fewest pool threads kept. */
  public static final String MIN_THREADS = "minThreads";
  /** int: the most pool threads. */
  public static final String MAX_THREADS = "maxThreads";
  /** int 1..64: the I/O (selector) threads. */
  public static final String SELECTORS = "selectors";
  /** duration: how long an idle connection stays open. */
  public static final String IDLE_TIMEOUT = "idleTimeout";
  /** duration, 0 allowed: how long a stop waits for calls in flight. */
  public static final String STOP_TIMEOUT = "stopTimeout";
  /** duration, 0 allowed: how long a stop keeps the port open while the modules drain. */
  public static final String DRAIN_TIME = "drainTime";
  /** boolean: also serve HTTP/2 cleartext (h2c, prior knowledge). */
  public static final String HTTP2_CLEARTEXT = "http2Cleartext";
  /** string: the path of the console page (off when absent). */
  public static final String CONSOLE = "console";
  /** boolean: register a JVM shutdown hook that stops the server gracefully. */
  public static final String SHUTDOWN_HOOK = "shutdownHook";
  /** string: the health path (off when absent). */
  public static final String HEALTH_PATH = "healthPath";
  /** boolean: Jetty's request log, written to SLF4J. */
  public static final String REQUEST_LOG = "requestLog";
  /** path: a PKCS12 or JKS keystore; serves HTTPS when set. */
  public static final String TLS_KEY_STORE = "tlsKeyStore";
  /** PKCS12|JKS: the keystore's type (default from the file name, else PKCS12). */
  public static final String TLS_KEY_STORE_TYPE = "tlsKeyStoreType";
  /** secret string: the keystore's password; only from the environment (never a config file). */
  public static final String TLS_KEY_STORE_PASSWORD = "tlsKeyStorePassword";
  /** path: a file holding the keystore's password. */
  public static final String TLS_KEY_STORE_PASSWORD_FILE = "tlsKeyStorePasswordFile";
  /** list: the TLS protocols, e.g. {@code TLSv1.3, TLSv1.2}. */
  public static final String TLS_PROTOCOLS = "tlsProtocols";
  /** list: the origins whose pages may call the modules (CORS; off when absent). */
  public static final String CORS_ALLOWED_ORIGINS = "corsAllowedOrigins";
  /** list: request headers allowed besides Parley's own. */
  public static final String CORS_ALLOWED_HEADERS = "corsAllowedHeaders";
  /** boolean: cross-origin requests may carry credentials (cookies). */
  public static final String CORS_ALLOW_CREDENTIALS = "corsAllowCredentials";
  /** duration: how long a browser may cache a preflight's answer. */
  public static final String CORS_MAX_AGE = "corsMaxAge";

  /** The smallest non-zero {@link #ENCRYPTION_KEY} (PROTOCOL.md §6). */
  public static final int MIN_ENCRYPTION_KEY = 16;
  /** The largest {@link #ENCRYPTION_KEY} (PROTOCOL.md §6). */
  public static final int MAX_ENCRYPTION_KEY = 64;

  private static final Set<String> SHARED = Set.of(ENCRYPTION_KEY, FORCE_ENCRYPTION, SECURE_KEY,
      SECURE_KEY_FILE, SECURE_KEY_ID, ALLOW_UNAUTHENTICATED, COMPRESSION, MAX_BODY_BYTES, PATH,
      ENV_PREFIX_SETTING);

  /** The keys a server module's config file may hold (sorted). */
  public static final Set<String> SERVER = sorted(SHARED, AUTO_SESSIONS_LIVE, MAX_SESSIONS, NON_BLOCKING,
      EXPOSE_ERROR_MESSAGES, API_TITLE, API_VERSION, API_DESCRIPTION, SECURE_KEYS, ROUTE);

  /** The keys a client module's config file may hold (sorted). */
  public static final Set<String> CLIENT = sorted(SHARED, URL, AUTO_REPOST, CONNECT_TIMEOUT,
      READ_TIMEOUT, WRITE_TIMEOUT, CALL_TIMEOUT, WAIT_FOR_SERVER, PROBE_AFTER_IDLE, MAX_REQUESTS_PER_HOST, HTTP2_PRIOR_KNOWLEDGE,
      AUTO_SESSIONS_PING);

  /** The keys an {@code RpcServer}'s config file may hold (sorted). */
  public static final Set<String> RPC_SERVER = sorted(Set.of(ENV_PREFIX_SETTING), HOST, PORT, MIN_THREADS,
      MAX_THREADS, SELECTORS, IDLE_TIMEOUT, STOP_TIMEOUT, DRAIN_TIME, HTTP2_CLEARTEXT, CONSOLE, SHUTDOWN_HOOK,
      HEALTH_PATH, REQUEST_LOG, TLS_KEY_STORE, TLS_KEY_STORE_TYPE, TLS_KEY_STORE_PASSWORD,
      TLS_KEY_STORE_PASSWORD_FILE, TLS_PROTOCOLS, CORS_ALLOWED_ORIGINS, CORS_ALLOWED_HEADERS,
      CORS_ALLOW_CREDENTIALS, CORS_MAX_AGE);

  /** Keys whose values are lists: comma-separated text, or a YAML list of plain values. */
  public static final Set<String> LISTS = Set.of(TLS_PROTOCOLS, CORS_ALLOWED_ORIGINS, CORS_ALLOWED_HEADERS);

  /** Keys whose values are secret: never shown in a message, log or toString. */
  public static final Set<String> SECRET = Set.of(SECURE_KEY, TLS_KEY_STORE_PASSWORD);

  private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]*");

  private ConfigKeys() {}

  /**
   * The environment variable that overrides {@code key}: {@code PARLEY_} and the key in upper
   * snake case ({@code autoSessionsLive} → {@code PARLEY_AUTO_SESSIONS_LIVE}).
   */
  public static String envName(String key) {
    return envName(ENV_PREFIX, key);
  }

  /**
   * The environment variable that overrides {@code key} under {@code prefix} (as returned by
   * {@link #envPrefix}): {@code PARLEY_CALC_} and {@code autoSessionsLive} give
   * {@code PARLEY_CALC_AUTO_SESSIONS_LIVE}.
   */
  public static String envName(String prefix, String key) {
    StringBuilder env = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        env.append('_');
      }
      env.append(c);
    }
    return prefix + env.toString().toUpperCase(Locale.ROOT);
  }

  /**
   * An environment prefix as given ({@code PARLEY_CALC} or {@code PARLEY_CALC_}), ending in
   * {@code _}; empty when it is not upper-case letters, digits and underscores starting with a letter.
   */
  public static Optional<String> envPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      return Optional.empty();
    }
    return Optional.of(prefix.endsWith("_") ? prefix : prefix + "_");
  }

  /**
   * For a key that a file of the kind {@code allowed} may not hold but another kind may: where it
   * belongs ({@code port} in a module's file is an {@code RpcServer} setting).
   */
  static Optional<String> elsewhere(String key, Set<String> allowed) {
    String kind;
    if (RPC_SERVER.contains(key) && !allowed.equals(RPC_SERVER)) {
      kind = "a setting of RpcServer: put it in the server's own file, read with RpcServer.fromConfig";
    } else if (SERVER.contains(key) && !allowed.equals(SERVER)) {
      kind = "a setting of a server module: put it in the module's own file, read with ServerModule.fromConfig";
    } else if (CLIENT.contains(key) && !allowed.equals(CLIENT)) {
      kind = "a client setting: put it in the client's file, read with ClientModule.fromConfig";
    } else {
      return Optional.empty();
    }
    return Optional.of(key + " is " + kind);
  }

  /** Whether {@code key}'s value is secret. */
  public static boolean isSecret(String key) {
    return SECRET.contains(key);
  }

  private static Set<String> sorted(Set<String> shared, String... more) {
    Set<String> all = new TreeSet<>(shared);
    Collections.addAll(all, more);
    return Collections.unmodifiableSet(all);
  }
}
