package dev.parley.client;

import dev.parley.Compression;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.config.ConfigKeys;
import dev.parley.internal.config.ConfigSource;
import dev.parley.internal.config.EncryptionRules;
import dev.parley.internal.config.SecretText;
import dev.parley.internal.config.SecureKeyFile;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClientModule}'s settings, checked together when the builder builds (the encryption
 * settings by the {@link EncryptionRules} the server module shares): the module URL, the SecureKey
 * read from its file or text, and every other value of the builder. Messages say what to change and
 * never show a secret.
 */
final class ClientSettings {
  private static final Logger LOG = LoggerFactory.getLogger(ClientModule.class);
  private static final AtomicBoolean UNAUTHENTICATED_WARNED = new AtomicBoolean();
  private static final String KEY_FORM = "a hex or base64 key of 32 to 1024 bytes";

  final HttpUrl url;
  /** The SecureKey; {@link SecureKey#none()} for unauthenticated encryption; null when not encrypting. */
  final SecureKey key;
  final int encryptionKey;
  final boolean force;
  final int maxRequestsPerHost;
  final Duration connectTimeout;
  final Duration readTimeout;
  final Duration writeTimeout;
  final Duration callTimeout;
  final List<ClientInterceptor> interceptors;
  final OkHttpClient shared;
  final Compression compression;
  final boolean autoRepost;
  final Duration probeAfterIdle;
  final boolean waitForServer;
  final long maxBodyBytes;
  final Events events;
  final boolean http2PriorKnowledge;
  final String loginFunction;
  final Duration autoSessionsPing;
  final java.util.function.Supplier<?> loginParams;

  private ClientSettings(ClientModule.Builder b, HttpUrl url, SecureKey key, EncryptionRules.Resolved encryption,
      int perHost) {
    this.url = url;
    this.key = key;
    this.encryptionKey = encryption.encryptionKey();
    this.force = encryption.forced();
    this.maxRequestsPerHost = perHost;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.writeTimeout = b.writeTimeout;
    this.callTimeout = b.callTimeout;
    this.interceptors = List.copyOf(b.interceptors);
    this.shared = b.shared;
    this.compression = b.compression;
    this.autoRepost = b.autoRepost;
    this.probeAfterIdle = b.probeAfterIdle;
    this.waitForServer = b.waitForServer;
    this.maxBodyBytes = b.maxBodyBytes;
    this.events = b.listener == null ? Events.NONE : new Events(b.listener);
    this.http2PriorKnowledge = b.http2PriorKnowledge;
    this.loginFunction = b.loginFunction;
    this.autoSessionsPing = b.autoSessionsPing;
    this.loginParams = b.loginParams;
  }

  /** Checks the builder's settings together; see {@link ClientModule.Builder#build()}. */
  static ClientSettings check(ClientModule.Builder b) {
    HttpUrl url = moduleUrl(b.url, b.path);
    if (b.shared != null && b.maxRequestsPerHost != null) {
      throw new IllegalStateException("maxRequestsPerHost applies to the client Parley creates; with a shared"
          + " okHttpClient, set the limit on that client's Dispatcher instead");
    }
    SecureKey key = resolveKey(b);
    if (key != null && b.secureKeyId != null && key.keyId() != b.secureKeyId) {
      key = key.withKeyId(b.secureKeyId);
    }
    if (key == null && b.secureKeyId != null) {
      throw new IllegalArgumentException("secureKeyId is set but there is no SecureKey: set secureKey or"
          + " secureKeyFile, or remove secureKeyId");
    }
    EncryptionRules.Resolved encryption = EncryptionRules.resolve(EncryptionRules.Side.CLIENT, "", b.encryptionKey,
        b.forceEncryption, key != null, b.allowUnauthenticated);
    if (encryption.unauthenticated()) {
      key = SecureKey.none();
      if (UNAUTHENTICATED_WARNED.compareAndSet(false, true)) {
        LOG.warn(SecureKey.UNAUTHENTICATED_WARNING);
      }
    }
    int perHost = b.maxRequestsPerHost == null ? ClientModule.Builder.DEFAULT_MAX_REQUESTS_PER_HOST
        : b.maxRequestsPerHost;
    if (encryption.encryptionKey() > 0 && perHost > SealedExchange.MAX_IN_FLIGHT) {
      throw new IllegalArgumentException("maxRequestsPerHost " + perHost + " is more than an encrypted session"
          + " allows in flight; set it to at most " + SealedExchange.MAX_IN_FLIGHT);
    }
    if (b.loginFunction != null && !encryption.forced()) {
      throw new IllegalArgumentException("autoLogin needs a client that forces encryption (a SecureKey or"
          + " forceEncryption(true)): only an encrypted session tells the client when the server forgot it and"
          + " the login must run again; set a SecureKey, or log in yourself");
    }
    if (!b.autoSessionsPing.isZero() && encryption.encryptionKey() == 0) {
      throw new IllegalArgumentException("autoSessionsPing keeps an encrypted session alive, and this client does"
          + " not encrypt (encryptionKey 0); remove autoSessionsPing or set a SecureKey");
    }
    if (b.http2PriorKnowledge && url.isHttps()) {
      throw new IllegalArgumentException("http2PriorKnowledge is HTTP/2 over cleartext (h2c) and cannot be used"
          + " with an https:// URL; remove it (over TLS OkHttp negotiates HTTP/2 by ALPN when the server offers it)");
    }
    return new ClientSettings(b, url, encryption.encryptionKey() == 0 ? null : key, encryption, perHost);
  }

  /** Fills a builder from a config source (docs/CONFIG.md, client keys); code may replace each value once. */
  static ClientModule.Builder fromConfig(ConfigSource config) {
    ClientModule.Builder b = ClientModule.builder(config.string(ConfigKeys.URL)
        .orElseThrow(() -> config.missing(ConfigKeys.URL, "the module's URL such as http://127.0.0.1:8080/calc")));
    config.string(ConfigKeys.PATH).ifPresent(b::path);
    config.encryptionKey().ifPresent(b::encryptionKey);
    config.bool(ConfigKeys.FORCE_ENCRYPTION).ifPresent(b::forceEncryption);
    config.integer(ConfigKeys.SECURE_KEY_ID, 0, 255).ifPresent(b::secureKeyId);
    config.bool(ConfigKeys.ALLOW_UNAUTHENTICATED).ifPresent(b::allowUnauthenticated);
    config.compression(ConfigKeys.COMPRESSION).ifPresent(b::compression);
    config.bool(ConfigKeys.AUTO_REPOST).ifPresent(b::autoRepost);
    config.longValue(ConfigKeys.MAX_BODY_BYTES, 1, Long.MAX_VALUE).ifPresent(b::maxBodyBytes);
    config.timeout(ConfigKeys.CONNECT_TIMEOUT).ifPresent(b::connectTimeout);
    config.timeout(ConfigKeys.READ_TIMEOUT).ifPresent(b::readTimeout);
    config.timeout(ConfigKeys.WRITE_TIMEOUT).ifPresent(b::writeTimeout);
    config.timeout(ConfigKeys.CALL_TIMEOUT).ifPresent(b::callTimeout);
    config.timeout(ConfigKeys.PROBE_AFTER_IDLE).ifPresent(b::probeAfterIdle);
    config.timeout(ConfigKeys.AUTO_SESSIONS_PING).ifPresent(b::autoSessionsPing);
    config.bool(ConfigKeys.WAIT_FOR_SERVER).ifPresent(b::waitForServer);
    config.integer(ConfigKeys.MAX_REQUESTS_PER_HOST, 1, Integer.MAX_VALUE).ifPresent(b::maxRequestsPerHost);
    config.bool(ConfigKeys.HTTP2_PRIOR_KNOWLEDGE).ifPresent(b::http2PriorKnowledge);
    config.secureKey().ifPresent(secret -> {
      secret.warning().ifPresent(LOG::warn);
      parse(secret).destroy();   // a malformed key fails here, naming its source
      b.secureKeyText(secret);
    });
    b.once.allFromConfig();
    return b;
  }

  /** The configured SecureKey, or null for none. */
  private static SecureKey resolveKey(ClientModule.Builder b) {
    if (b.secureKey != null) {
      return b.secureKey.isNone() ? null : b.secureKey;
    }
    if (b.secureKeyFile != null) {
      SecretText text = SecureKeyFile.read(b.secureKeyFile);
      text.warning().ifPresent(LOG::warn);
      return parse(text);
    }
    return b.secureKeyText == null ? null : parse(b.secureKeyText);
  }

  private static SecureKey parse(SecretText text) {
    try {
      return SecureKey.parse(text.text());
    } catch (IllegalArgumentException e) {
      throw text.invalid(KEY_FORM, null);
    }
  }

  static Duration checkTimeout(String name, Duration timeout) {
    if (timeout == null) {
      throw new NullPointerException(name + " == null");
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(name + " must be zero (no limit) or positive, got " + timeout);
    }
    if (timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE + " ms, got " + timeout);
    }
    return timeout;
  }

  /** The module's URL: {@code url} with {@code path} (or null) appended; see {@link ClientModule#builder}. */
  static HttpUrl moduleUrl(String url, String path) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the module URL is not a valid URL (" + e.getReason()
          + "); expected for example http://127.0.0.1:8080/calc");
    }
    if (uri.getRawUserInfo() != null) {
      // The URL is not repeated: it holds credentials.
      throw new IllegalArgumentException("the module URL must not contain user info (user:password@);"
          + " credentials in URLs end up in logs");
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("the module URL must start with http:// or https://, got '" + url + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("the module URL has no host: '" + url
          + "'; expected for example http://127.0.0.1:8080/calc");
    }
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException("the module URL must not have a query ('?" + uri.getRawQuery()
          + "'); give only the module's address, for example http://127.0.0.1:8080/calc");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("the module URL must not have a fragment ('#" + uri.getRawFragment()
          + "'); give only the module's address, for example http://127.0.0.1:8080/calc");
    }
    String base = uri.getRawPath() == null ? "" : uri.getRawPath();
    String full = base;
    if (path != null) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("the module path must start with '/', got '" + path + "'");
      }
      if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
        throw new IllegalArgumentException("the module path must not contain '?' or '#', got '" + path + "'");
      }
      full = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
    HttpUrl parsed = HttpUrl.parse(scheme + "://" + uri.getRawAuthority() + full);
    if (parsed == null) {
      throw new IllegalArgumentException("the module URL is not a valid HTTP URL: '" + url + "'");
    }
    return parsed;
  }
}
