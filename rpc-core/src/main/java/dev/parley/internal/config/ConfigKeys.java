package dev.parley.internal.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names of the settings a config file may hold. Each name is also the builder method's name
 * and, through {@link #envName}, the environment variable that overrides it
 * ({@code encryptionKey} ↔ {@code PARLEY_ENCRYPTION_KEY}). docs/CONFIG.md documents every key.
 */
public final class ConfigKeys {
  /** Prefix of every environment override. */
  public static final String ENV_PREFIX = "PARLEY_";

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

  /** The smallest non-zero {@link #ENCRYPTION_KEY} (PROTOCOL.md §6). */
  public static final int MIN_ENCRYPTION_KEY = 16;
  /** The largest {@link #ENCRYPTION_KEY} (PROTOCOL.md §6). */
  public static final int MAX_ENCRYPTION_KEY = 64;

  private static final Set<String> SHARED = Set.of(ENCRYPTION_KEY, FORCE_ENCRYPTION, SECURE_KEY,
      SECURE_KEY_FILE, SECURE_KEY_ID, ALLOW_UNAUTHENTICATED, COMPRESSION, MAX_BODY_BYTES, PATH);

  /** The keys a server module's config file may hold (sorted). */
  public static final Set<String> SERVER = sorted(SHARED, AUTO_SESSIONS_LIVE, MAX_SESSIONS, NON_BLOCKING,
      EXPOSE_ERROR_MESSAGES, API_TITLE, API_VERSION, API_DESCRIPTION);

  /** The keys a client module's config file may hold (sorted). */
  public static final Set<String> CLIENT = sorted(SHARED, URL, AUTO_REPOST, CONNECT_TIMEOUT,
      READ_TIMEOUT, WRITE_TIMEOUT, CALL_TIMEOUT, WAIT_FOR_SERVER, PROBE_AFTER_IDLE, MAX_REQUESTS_PER_HOST, HTTP2_PRIOR_KNOWLEDGE,
      AUTO_SESSIONS_PING);

  /** Keys whose values are secret: never shown in a message, log or toString. */
  public static final Set<String> SECRET = Set.of(SECURE_KEY);

  private ConfigKeys() {}

  /**
   * The environment variable that overrides {@code key}: {@code PARLEY_} and the key in upper
   * snake case ({@code autoSessionsLive} → {@code PARLEY_AUTO_SESSIONS_LIVE}).
   */
  public static String envName(String key) {
    StringBuilder env = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        env.append('_');
      }
      env.append(c);
    }
    return env.toString().toUpperCase(Locale.ROOT);
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
