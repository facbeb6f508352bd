package dev.parley.server;

import dev.parley.internal.config.ConfigSource;
import dev.parley.internal.config.SecretText;
import dev.parley.internal.config.SetOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The settings and setters of {@link RpcServer.Builder}, kept apart from the server (its public
 * methods are documented as the builder's; docs/SERVER.md "RpcServer" lists them). Each setting may be
 * given once ({@link SetOnce}: a value from {@link RpcServer#fromConfig} may be replaced once);
 * {@link RpcServerSettings} checks them together at {@link RpcServer.Builder#build()}.
 */
abstract class RpcServerBuilderBase {
  final SetOnce once = new SetOnce();
  final List<ServerModule> modules = new ArrayList<>();
  /** The config of {@link RpcServer#fromConfig}, for messages about its values; null when built in code. */
  ConfigSource config;
  String host;
  Integer port;
  Integer minThreads;
  Integer maxThreads;
  Integer selectors;
  Duration stopTimeout;
  Duration idleTimeout;
  Duration drainTime;
  Boolean http2Cleartext;
  String consolePath;
  Boolean shutdownHook;
  String healthPath;
  Boolean requestLog;
  Path tlsKeyStore;
  String tlsKeyStoreType;
  /** The keystore password given in code; never shown. */
  char[] tlsKeyStorePassword;
  Path tlsKeyStorePasswordFile;
  /** The keystore password from a config file's password file or the environment; never shown. */
  SecretText tlsKeyStorePasswordText;
  List<String> tlsProtocols;
  List<String> corsAllowedOrigins;
  List<String> corsAllowedHeaders;
  Boolean corsAllowCredentials;
  Duration corsMaxAge;

  private RpcServer.Builder self() {
    return (RpcServer.Builder) this;
  }

  /** The interface to bind (default: all interfaces). */
  public RpcServer.Builder host(String host) {
    Objects.requireNonNull(host, "host == null");
    once.set("host", this.host);
    this.host = host;
    return self();
  }

  /** The port to bind (default 8080; 0 picks a free one, see {@link RpcServer#port()}). */
  public RpcServer.Builder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    once.set("port", this.port);
    this.port = port;
    return self();
  }

  /** Adds a module; each module needs its own path and its own route. May be called several times. */
  public RpcServer.Builder module(ServerModule module) {
    modules.add(Objects.requireNonNull(module, "module == null"));
    return self();
  }

  /** The fewest pool threads kept when idle (default 8, at most {@link #maxThreads(int)}). */
  public RpcServer.Builder minThreads(int minThreads) {
    if (minThreads < 1) {
      throw new IllegalArgumentException("minThreads must be at least 1, was " + minThreads);
    }
    once.set("minThreads", this.minThreads);
    this.minThreads = minThreads;
    return self();
  }

  /** The most request threads (default 200). */
  public RpcServer.Builder maxThreads(int maxThreads) {
    if (maxThreads < 4) {
      throw new IllegalArgumentException("maxThreads must be at least 4 (Jetty needs threads for its selector and"
          + " acceptor), was " + maxThreads);
    }
    once.set("maxThreads", this.maxThreads);
    this.maxThreads = maxThreads;
    return self();
  }

  /**
   * The number of I/O (selector) threads. Default: one per core when every module is
   * {@linkplain ServerModule.Builder#nonBlocking nonBlocking} (calls then run on them), else
   * Jetty's default of one per two cores (1 to 4); the default never takes more than half of
   * {@link #maxThreads(int)}. Each selector holds a pool thread, so {@code build()} refuses an
   * explicit count with fewer than {@code selectors + 4} threads.
   */
  public RpcServer.Builder selectors(int selectors) {
    if (selectors < 1 || selectors > 64) {
      throw new IllegalArgumentException("selectors must be 1..64, was " + selectors);
    }
    once.set("selectors", this.selectors);
    this.selectors = selectors;
    return self();
  }

  /** How long {@link RpcServer#stop()} waits for in-flight calls (default 30 s). */
  public RpcServer.Builder stopTimeout(Duration timeout) {
    once.set("stopTimeout", this.stopTimeout);
    this.stopTimeout = notNegative("stopTimeout", timeout);
    return self();
  }

  /**
   * How long {@link RpcServer#stop()} keeps accepting connections while its modules drain, before
   * it closes the port (default 0: close it at once). Every call that arrives meanwhile is
   * answered "not run" (PROTOCOL.md §15.7), and the health path answers 503. Behind a load
   * balancer, set it at least as long as the clients' {@code probeAfterIdle} (docs/DEPLOYING.md),
   * so that every client with a session here either learns that this server is going away or
   * checks its session before its next call.
   */
  public RpcServer.Builder drainTime(Duration time) {
    once.set("drainTime", this.drainTime);
    this.drainTime = notNegative("drainTime", time);
    return self();
  }

  /** How long an idle connection stays open (default 30 s). */
  public RpcServer.Builder idleTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "idleTimeout == null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, was " + timeout);
    }
    once.set("idleTimeout", this.idleTimeout);
    this.idleTimeout = timeout;
    return self();
  }

  private static Duration notNegative(String name, Duration time) {
    Objects.requireNonNull(time, name + " == null");
    if (time.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + time);
    }
    return time;
  }

  /**
   * Also serves HTTP/2 cleartext with prior knowledge (h2c, RFC 9113 §3.3) on the same port, next
   * to HTTP/1.1 (default false). A client that opens with the HTTP/2 connection preface speaks
   * HTTP/2 and multiplexes its calls over one connection; every other client keeps HTTP/1.1. The
   * HTTP/1.1 {@code Upgrade: h2c} dance is not offered (Parley's calls are POSTs with bodies). Not
   * with TLS.
   *
   * <pre>{@code
   * RpcServer server = RpcServer.builder().port(8080).http2Cleartext(true).module(calc).build();
   * ClientModule client = ClientModule.builder("http://127.0.0.1:8080/calc").http2PriorKnowledge(true).build();
   * }</pre>
   */
  public RpcServer.Builder http2Cleartext(boolean enabled) {
    once.set("http2Cleartext", this.http2Cleartext);
    this.http2Cleartext = enabled;
    return self();
  }

  /**
   * Serves the console page at {@code path} (default: off): a page that lists a module's
   * functions from {@code rpc.discover}, shows their parameter schemas and calls them, plain or
   * encrypted, from the browser (docs/SERVER.md "The console page"). The page is a static asset of
   * rpc-server (no CDN); for an encrypted module the user types the SecureKey into the page, which
   * keeps it in memory only and never sends it. {@code path} gets the page at {@code path + "/"}
   * ({@code path} itself redirects there); it must start with {@code /}, must not end with one and
   * must not be, or be a parent of, a module's path.
   *
   * <pre>{@code
   * RpcServer server = RpcServer.builder().port(8080).module(calc).console("/console").build();
   * // open http://localhost:8080/console/ (encryption needs a secure context: https or localhost)
   * }</pre>
   */
  public RpcServer.Builder console(String path) {
    once.set("console", this.consolePath);
    this.consolePath = RpcServerSettings.checkOwnPath("the console path", "/console", path);
    return self();
  }

  /**
   * Registers a JVM shutdown hook when the server starts, so that SIGTERM (Ctrl-C, {@code docker stop},
   * Kubernetes) stops it gracefully, drain time and all; {@link RpcServer#stop()} removes it again
   * (default false). The orchestrator's grace period must cover {@code drainTime} plus
   * {@code stopTimeout} (docs/DEPLOYING.md).
   */
  public RpcServer.Builder shutdownHook(boolean register) {
    once.set("shutdownHook", this.shutdownHook);
    this.shutdownHook = register;
    return self();
  }

  /**
   * Serves a health check at {@code path} (default: off): {@code GET} (or {@code HEAD}) answers 200
   * {@code ok} while the server serves and 503 {@code draining} once a graceful stop began (during
   * {@code drainTime}), so a load balancer's health check takes the node out before it goes. It
   * reveals nothing else. Same rules for the path as {@link #console(String)}.
   */
  public RpcServer.Builder healthPath(String path) {
    once.set("healthPath", this.healthPath);
    this.healthPath = RpcServerSettings.checkOwnPath("the health path", "/health", path);
    return self();
  }

  /**
   * Writes one line per request to the SLF4J logger {@code dev.parley.server.RequestLog} at INFO
   * (Jetty's {@code CustomRequestLog}, NCSA format: client address, time, method, path, protocol,
   * status, bytes sent, referrer, user agent; never a header such as {@code Parley-Session}, never a
   * body). Default false.
   */
  public RpcServer.Builder requestLog(boolean enabled) {
    once.set("requestLog", this.requestLog);
    this.requestLog = enabled;
    return self();
  }

  /**
   * Serves HTTPS only, with the certificate and private key of a PKCS12 ({@code .p12},
   * {@code .pfx}) or JKS ({@code .jks}) keystore (default: plain HTTP). The keystore and its key
   * share one password: {@link #tlsKeyStorePassword(char[])} or {@link #tlsKeyStorePasswordFile(Path)}.
   * The keystore is opened at {@code build()}, so a wrong password or a keystore without a key
   * fails there.
   */
  public RpcServer.Builder tlsKeyStore(Path keyStore) {
    Objects.requireNonNull(keyStore, "tlsKeyStore == null");
    once.set("tlsKeyStore", this.tlsKeyStore);
    this.tlsKeyStore = keyStore;
    return self();
  }

  /** The keystore's type, {@code PKCS12} or {@code JKS} (default: {@code JKS} for a {@code .jks} file, else PKCS12). */
  public RpcServer.Builder tlsKeyStoreType(String type) {
    Objects.requireNonNull(type, "tlsKeyStoreType == null");
    once.set("tlsKeyStoreType", this.tlsKeyStoreType);
    this.tlsKeyStoreType = Tls.checkType(type);
    return self();
  }

  /**
   * The keystore's password (copied; never logged or shown). One setting with
   * {@link #tlsKeyStorePasswordFile(Path)}.
   */
  public RpcServer.Builder tlsKeyStorePassword(char[] password) {
    Objects.requireNonNull(password, "tlsKeyStorePassword == null");
    once.set("tlsKeyStorePassword", null);
    clearPassword();
    this.tlsKeyStorePassword = password.clone();
    return self();
  }

  /**
   * A file that holds the keystore's password and nothing else (surrounding whitespace ignored;
   * {@code chmod 600}); read at {@code build()}. One setting with {@link #tlsKeyStorePassword(char[])}.
   */
  public RpcServer.Builder tlsKeyStorePasswordFile(Path file) {
    Objects.requireNonNull(file, "tlsKeyStorePasswordFile == null");
    once.set("tlsKeyStorePassword", null);
    clearPassword();
    this.tlsKeyStorePasswordFile = file;
    return self();
  }

  void tlsKeyStorePasswordText(SecretText password) {
    once.set("tlsKeyStorePassword", null);
    clearPassword();
    this.tlsKeyStorePasswordText = password;
  }

  private void clearPassword() {
    if (tlsKeyStorePassword != null) {
      Arrays.fill(tlsKeyStorePassword, '\0');
    }
    tlsKeyStorePassword = null;
    tlsKeyStorePasswordFile = null;
    tlsKeyStorePasswordText = null;
  }

  /** The TLS protocols offered: {@code TLSv1.3} and/or {@code TLSv1.2} (default both). */
  public RpcServer.Builder tlsProtocols(String... protocols) {
    once.set("tlsProtocols", this.tlsProtocols);
    this.tlsProtocols = Tls.checkProtocols(List.of(protocols));
    return self();
  }

  /**
   * Turns on CORS for the modules (default: off, and a browser's preflight then gets 405): pages from
   * these origins may call the modules, plain and encrypted, from their visitors' browsers (the
   * TypeScript client, docs/JS.md). An origin is {@code https://app.example.com} (scheme, host and
   * port, exactly), {@code https://*.example.com} (any subdomain), or {@code *} (any page on the web:
   * only for modules anyone may call anyway). Jetty's {@code CrossOriginHandler} answers the preflights;
   * requests from other origins get no CORS headers, so the browser hides the answer.
   */
  public RpcServer.Builder corsAllowedOrigins(String... origins) {
    once.set("corsAllowedOrigins", this.corsAllowedOrigins);
    this.corsAllowedOrigins = Cors.checkOrigins(List.of(origins));
    return self();
  }

  /**
   * Request headers that cross-origin calls may carry besides Parley's own ({@code Content-Type},
   * {@code Content-Encoding}, {@code Parley-Session}), such as {@code Authorization} for a proxy in
   * front. Needs {@link #corsAllowedOrigins}.
   */
  public RpcServer.Builder corsAllowedHeaders(String... headers) {
    once.set("corsAllowedHeaders", this.corsAllowedHeaders);
    this.corsAllowedHeaders = Cors.checkHeaders(List.of(headers));
    return self();
  }

  /**
   * Whether cross-origin calls may carry the browser's credentials (cookies, HTTP authentication) for
   * this server (default false: Parley itself uses none). Not with the origin {@code *}. Needs
   * {@link #corsAllowedOrigins}.
   */
  public RpcServer.Builder corsAllowCredentials(boolean allow) {
    once.set("corsAllowCredentials", this.corsAllowCredentials);
    this.corsAllowCredentials = allow;
    return self();
  }

  /** How long a browser may reuse a preflight's answer (default 10 minutes). Needs {@link #corsAllowedOrigins}. */
  public RpcServer.Builder corsMaxAge(Duration maxAge) {
    once.set("corsMaxAge", this.corsMaxAge);
    this.corsMaxAge = notNegative("corsMaxAge", maxAge);
    return self();
  }
}
