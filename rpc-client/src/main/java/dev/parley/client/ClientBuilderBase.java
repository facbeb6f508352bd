package dev.parley.client;

import dev.parley.Compression;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.config.EncryptionRules;
import dev.parley.internal.config.SecretText;
import dev.parley.internal.config.SetOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The settings and setters of {@link ClientModule.Builder}, kept apart from the module's façade (its
 * public methods are documented as the builder's). Each setting may be set once
 * ({@link SetOnce}); {@link ClientSettings} checks them together at {@link ClientModule.Builder#build()}.
 */
abstract class ClientBuilderBase {
  final SetOnce once = new SetOnce();
  final String url;
  String path;
  Duration connectTimeout = ClientModule.Builder.DEFAULT_CONNECT_TIMEOUT;
  Duration readTimeout = ClientModule.Builder.DEFAULT_READ_TIMEOUT;
  Duration writeTimeout = ClientModule.Builder.DEFAULT_WRITE_TIMEOUT;
  Duration callTimeout = ClientModule.Builder.DEFAULT_CALL_TIMEOUT;
  Integer maxRequestsPerHost;
  OkHttpClient shared;
  Integer encryptionKey;
  Boolean forceEncryption;
  SecureKey secureKey;
  Path secureKeyFile;
  SecretText secureKeyText;   // from a config file or environment; parsed at build()
  Integer secureKeyId;
  boolean allowUnauthenticated;
  Compression compression = Compression.NONE;
  boolean autoRepost = true;
  Duration probeAfterIdle = ClientModule.Builder.DEFAULT_PROBE_AFTER_IDLE;
  boolean waitForServer = true;
  long maxBodyBytes = ClientModule.Builder.DEFAULT_MAX_BODY_BYTES;
  ClientListener listener;
  boolean http2PriorKnowledge;
  final List<ClientInterceptor> interceptors = new ArrayList<>();
  String loginFunction;
  Duration autoSessionsPing = Duration.ZERO;
  Supplier<?> loginParams;

  ClientBuilderBase(String url) {
    this.url = url;
  }

  private ClientModule.Builder self() {
    return (ClientModule.Builder) this;
  }

  /** The module's path, appended to the URL given to {@link ClientModule#builder}: {@code "/calc"}. */
  public ClientModule.Builder path(String path) {
    once.set("path", this.path);
    this.path = Objects.requireNonNull(path, "path == null");
    return self();
  }

  /** How long to wait for a TCP (and TLS) connection; zero means no limit. Default 10 s. */
  public ClientModule.Builder connectTimeout(Duration timeout) {
    once.set("connectTimeout", this.connectTimeout);
    this.connectTimeout = ClientSettings.checkTimeout("connectTimeout", timeout);
    return self();
  }

  /** How long to wait for the next bytes of an answer; zero means no limit. Default 30 s. */
  public ClientModule.Builder readTimeout(Duration timeout) {
    once.set("readTimeout", this.readTimeout);
    this.readTimeout = ClientSettings.checkTimeout("readTimeout", timeout);
    return self();
  }

  /** How long a write of the request may block; zero means no limit. Default 30 s. */
  public ClientModule.Builder writeTimeout(Duration timeout) {
    once.set("writeTimeout", this.writeTimeout);
    this.writeTimeout = ClientSettings.checkTimeout("writeTimeout", timeout);
    return self();
  }

  /**
   * The limit for a whole call: every attempt, every wait between attempts (while the server
   * refuses connections or is stopping, docs/CLIENT.md "Outcomes and re-sends") and a handshake
   * included. Zero means no limit (refused connections are then retried for at most 60 s).
   * Default 60 s.
   */
  public ClientModule.Builder callTimeout(Duration timeout) {
    once.set("callTimeout", this.callTimeout);
    this.callTimeout = ClientSettings.checkTimeout("callTimeout", timeout);
    return self();
  }

  /**
   * Adds interceptors that run around each call of this module and each HTTP attempt of a call
   * ({@link ClientInterceptor}); may be called several times. The first one added is the outermost.
   */
  public ClientModule.Builder interceptors(ClientInterceptor... interceptors) {
    for (ClientInterceptor interceptor : interceptors) {
      this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
    }
    return self();
  }

  /**
   * How many asynchronous calls run at once against the module's host (more wait in a queue);
   * also the number of idle connections kept. Default 64 (OkHttp's own default of 5 would
   * throttle concurrent async calls); at most 1024 for an encrypting module (the calls in flight
   * on one session, PROTOCOL.md §11). Not allowed with {@link #okHttpClient}: configure that
   * client's {@code Dispatcher} instead.
   */
  public ClientModule.Builder maxRequestsPerHost(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxRequestsPerHost must be at least 1, got " + max);
    }
    once.set("maxRequestsPerHost", this.maxRequestsPerHost);
    this.maxRequestsPerHost = max;
    return self();
  }

  /**
   * Shares an existing OkHttp client's connection pool, dispatcher and other settings (proxy,
   * TLS, interceptors, event listener). Parley derives its own client from it with
   * {@code newBuilder()}, so this module's timeouts, no-retry and TCP_NODELAY settings apply to
   * its calls only, and {@link ClientModule#close()} leaves the shared client running.
   */
  public ClientModule.Builder okHttpClient(OkHttpClient client) {
    once.set("okHttpClient", null);
    this.shared = Objects.requireNonNull(client, "client == null");
    return self();
  }

  /**
   * The length in bytes of this client's random handshake contributions (PROTOCOL.md §6): 16 to
   * 64, or 0 for a client that does not encrypt. Default: 0, or 32 when a SecureKey is set.
   */
  public ClientModule.Builder encryptionKey(int bytes) {
    EncryptionRules.checkEncryptionKey(bytes);
    once.set("encryptionKey", this.encryptionKey);
    this.encryptionKey = bytes;
    return self();
  }

  /**
   * Never send a plain call and never fall back to plain calls when the server module does not
   * encrypt ({@link EncryptionNotSupportedException} instead). Needs {@link #encryptionKey} &gt; 0;
   * implied by a SecureKey (with a SecureKey, an explicit {@code false} is refused at build). Default
   * false.
   */
  public ClientModule.Builder forceEncryption(boolean force) {
    once.set("forceEncryption", this.forceEncryption);
    this.forceEncryption = force;
    return self();
  }

  /**
   * The SecureKey shared with the server module (PROTOCOL.md §3). Implies {@link #forceEncryption}
   * and, unless set, {@code encryptionKey} 32. One setting with {@code secureKeyFile}. {@link SecureKey#none()} means no SecureKey (see
   * {@link #allowUnauthenticated}).
   */
  public ClientModule.Builder secureKey(SecureKey key) {
    Objects.requireNonNull(key, "key == null");
    once.set("secureKey", null);
    clearKey();
    this.secureKey = key;
    return self();
  }

  /**
   * The SecureKey as text: at least 32 random bytes in hex or base64 ({@link SecureKey#parse}).
   *
   * @throws IllegalArgumentException the text is not such a key (the message never shows it)
   */
  public ClientModule.Builder secureKey(String key) {
    Objects.requireNonNull(key, "key == null");
    return secureKey(SecureKey.parse(key));
  }

  /** A file holding the SecureKey (and nothing else); read at {@link #build()}. Prefer it to an inline key. */
  public ClientModule.Builder secureKeyFile(Path file) {
    Objects.requireNonNull(file, "file == null");
    once.set("secureKey", null);
    clearKey();
    this.secureKeyFile = file;
    return self();
  }

  /** The key id the server module knows this SecureKey by, 0..255 (PROTOCOL.md §3.3). Default 0. */
  public ClientModule.Builder secureKeyId(int keyId) {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("secureKeyId must be 0 to 255, got " + keyId);
    }
    once.set("secureKeyId", this.secureKeyId);
    this.secureKeyId = keyId;
    return self();
  }

  /**
   * Allows encryption without a SecureKey (Noise_NN, PROTOCOL.md §8): it hides calls from
   * eavesdroppers but does not stop an active man in the middle. Required when
   * {@code encryptionKey} &gt; 0 and no SecureKey is set; logs a warning once. Default false.
   */
  public ClientModule.Builder allowUnauthenticated(boolean allow) {
    once.set("allowUnauthenticated", this.allowUnauthenticated);
    this.allowUnauthenticated = allow;
    return self();
  }

  /** How this client compresses the requests it sends (bodies under 256 bytes never). Default none. */
  public ClientModule.Builder compression(Compression compression) {
    Objects.requireNonNull(compression, "compression == null");
    once.set("compression", this.compression.configName());
    this.compression = compression;
    return self();
  }

  /**
   * After an HTTP 410 (the server no longer knows the encrypted session): run a new handshake and
   * send the call once more — any call if the 410 is verified under the SecureKey, only idempotent
   * ones otherwise. Off: the call fails with {@link SessionLostException}. Default true.
   */
  public ClientModule.Builder autoRepost(boolean repost) {
    once.set("autoRepost", this.autoRepost);
    this.autoRepost = repost;
    return self();
  }

  /**
   * Whether a call waits for a server that refuses connections or is stopping, trying again with
   * a growing wait (50 ms to 1 s) until its call timeout runs out (docs/CLIENT.md "Outcomes and
   * re-sends"). Off: such a call fails at once, as not run. Default true (like gRPC's
   * wait-for-ready); a command-line tool or a health check may prefer to fail fast.
   */
  public ClientModule.Builder waitForServer(boolean wait) {
    once.set("waitForServer", this.waitForServer);
    this.waitForServer = wait;
    return self();
  }

  /**
   * Encrypted modules: before sealing a call on a session that has been idle (no verified answer)
   * for this long, check it with an empty sealed request, a ping that runs nothing (PROTOCOL.md
   * §15.4, docs/CLIENT.md "Lost sessions"). A server that restarted or went away meanwhile then
   * costs the call nothing: the ping, not the call, meets the instance that does not know the
   * session, and the call is sealed under a new one. The client also probes after any connection
   * failure. Zero: probe only after connection failures. Default 10 s; behind a load balancer,
   * keep it at most the servers' {@code drainTime} (docs/DEPLOYING.md).
   */
  public ClientModule.Builder probeAfterIdle(Duration idle) {
    once.set("probeAfterIdle", this.probeAfterIdle);
    this.probeAfterIdle = ClientSettings.checkTimeout("probeAfterIdle", idle);
    return self();
  }

  /** The largest answer accepted, also after inflating a compressed one. Default 4 MiB. */
  public ClientModule.Builder maxBodyBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + bytes);
    }
    once.set("maxBodyBytes", this.maxBodyBytes);
    this.maxBodyBytes = bytes;
    return self();
  }

  /**
   * Speaks HTTP/2 cleartext with prior knowledge (h2c, RFC 9113 §3.3) instead of HTTP/1.1:
   * every call of this module, plain or sealed, is a stream on one multiplexed connection, so
   * many concurrent callers need no connection each. The server must serve h2c on that port
   * ({@code RpcServer.Builder.http2Cleartext(true)}, or Jetty's {@code HTTP2CServerConnectionFactory});
   * a server that does not fails every call with a {@link TransportException}. Only for
   * {@code http://} URLs: over {@code https://} OkHttp negotiates HTTP/2 by ALPN on its own.
   * Default false (HTTP/1.1).
   *
   * <pre>{@code
   * ClientModule calc = ClientModule.builder("http://127.0.0.1:8080/calc").http2PriorKnowledge(true).build();
   * }</pre>
   */
  public ClientModule.Builder http2PriorKnowledge(boolean enabled) {
    once.set("http2PriorKnowledge", this.http2PriorKnowledge);
    this.http2PriorKnowledge = enabled;
    return self();
  }

  /** Receives session and connection events; see {@link ClientListener}. */
  public ClientModule.Builder listener(ClientListener listener) {
    Objects.requireNonNull(listener, "listener == null");
    once.set("listener", null);
    this.listener = listener;
    return self();
  }

  /**
   * RTC's AutoSessionsPing: once per {@code period} in which no call was sealed on the encrypted
   * session, ping it (an empty sealed request that runs nothing, PROTOCOL.md §15.4), which renews its
   * expiry on the server. Keep it below the server's {@code autoSessionsLive} (half of it, say). Costs
   * one small request per idle period per session; busy sessions send none. Listener events
   * {@link ClientListener#onPing}. Zero: off (the default). Needs {@code encryptionKey} &gt; 0;
   * docs/CLIENT.md "Keep-alive pings".
   */
  public ClientModule.Builder autoSessionsPing(Duration period) {
    once.set("autoSessionsPing", this.autoSessionsPing);
    Objects.requireNonNull(period, "period == null");
    if (period.isNegative()) {
      throw new IllegalArgumentException("autoSessionsPing must be zero (off) or positive, got " + period);
    }
    this.autoSessionsPing = ClientSettings.checkTimeout("autoSessionsPing", period);
    return self();
  }

  /**
   * RTC's AutoLogin: calls {@code function} with {@code params} on every new encrypted session
   * before any other call is sealed on it: after the first handshake, and again after every new
   * handshake (an expired session, a server restart), before the call that waited for it is sent or
   * re-sent. Concurrent first calls share one login; a failed login fails the calls that waited with
   * {@link LoginFailedException} and is tried again by the next call. Needs a forcing client (a
   * SecureKey or {@code forceEncryption}); docs/CLIENT.md "Auto-login".
   *
   * <pre>{@code
   * ClientModule accounts = ClientModule.builder(url).secureKeyFile(key)
   *     .autoLogin("login", Map.of("user", "ann", "token", token))
   *     .build();
   * }</pre>
   */
  public ClientModule.Builder autoLogin(String function, Object params) {
    return autoLogin(function, () -> params);
  }

  /**
   * {@link #autoLogin(String, Object)} with the parameters asked of {@code params} for each login
   * (a fresh token each time, for example). It runs on the thread of the call that logs in; what it
   * throws fails that login, and its message is not repeated. A null {@code params} (as the literal
   * {@code null} resolves to this method) means a login without parameters.
   */
  public ClientModule.Builder autoLogin(String function, Supplier<?> params) {
    Objects.requireNonNull(function, "function == null");
    if (function.isBlank()) {
      throw new IllegalArgumentException("autoLogin needs the name of the login function, got a blank one");
    }
    once.set("autoLogin", this.loginFunction);
    this.loginFunction = function;
    this.loginParams = params == null ? () -> null : params;
    return self();
  }


  /** The SecureKey as text from a config file or the environment (validated by the caller). */
  void secureKeyText(SecretText text) {
    once.set("secureKey", null);
    clearKey();
    this.secureKeyText = text;
  }

  private void clearKey() {
    secureKey = null;
    secureKeyFile = null;
    secureKeyText = null;
  }
}
