package dev.parley.server;

import dev.parley.ConfigException;
import dev.parley.internal.config.ConfigKeys;
import dev.parley.internal.config.ConfigSource;
import dev.parley.internal.config.SecretText;
import dev.parley.internal.config.SecureKeyFile;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * {@link RpcServer.Builder}'s settings checked together at {@code build()}, with their defaults, and
 * {@link RpcServer#fromConfig}'s reading of a config file (docs/CONFIG.md "RpcServer"). A value from
 * a file that the builder refuses fails with a {@link ConfigException} naming the key and the file.
 */
final class RpcServerSettings {
  static final int DEFAULT_PORT = 8080;
  static final int DEFAULT_MIN_THREADS = 8;
  static final int DEFAULT_MAX_THREADS = 200;
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  final String host;
  final int port;
  final List<ServerModule> modules;
  final int minThreads;
  final int maxThreads;
  /** 0: the default, worked out by RpcServer from the modules and the cores. */
  final int selectors;
  final Duration stopTimeout;
  final Duration idleTimeout;
  final Duration drainTime;
  final boolean http2Cleartext;
  final String consolePath;
  final boolean shutdownHook;
  final String healthPath;
  final boolean requestLog;
  /** Jetty's TLS, made from the opened keystore; null for plain HTTP. */
  final SslContextFactory.Server tls;
  /** Null when CORS is off. */
  final List<String> corsOrigins;
  final List<String> corsHeaders;
  final boolean corsCredentials;
  final Duration corsMaxAge;

  private RpcServerSettings(RpcServerBuilderBase b, SslContextFactory.Server tls) {
    this.host = b.host;
    this.port = b.port == null ? DEFAULT_PORT : b.port;
    this.modules = List.copyOf(b.modules);
    this.maxThreads = b.maxThreads == null ? DEFAULT_MAX_THREADS : b.maxThreads;
    this.minThreads = b.minThreads == null ? Math.min(DEFAULT_MIN_THREADS, maxThreads) : b.minThreads;
    this.selectors = b.selectors == null ? 0 : b.selectors;
    this.stopTimeout = b.stopTimeout == null ? DEFAULT_STOP_TIMEOUT : b.stopTimeout;
    this.idleTimeout = b.idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : b.idleTimeout;
    this.drainTime = b.drainTime == null ? Duration.ZERO : b.drainTime;
    this.http2Cleartext = Boolean.TRUE.equals(b.http2Cleartext);
    this.consolePath = b.consolePath;
    this.shutdownHook = Boolean.TRUE.equals(b.shutdownHook);
    this.healthPath = b.healthPath;
    this.requestLog = Boolean.TRUE.equals(b.requestLog);
    this.tls = tls;
    this.corsOrigins = b.corsAllowedOrigins;
    this.corsHeaders = b.corsAllowedHeaders == null ? List.of() : b.corsAllowedHeaders;
    this.corsCredentials = Boolean.TRUE.equals(b.corsAllowCredentials);
    this.corsMaxAge = b.corsMaxAge == null ? Cors.DEFAULT_MAX_AGE : b.corsMaxAge;
  }

  /**
   * A path of the server's own (the console page, the health check): {@code /name}, no trailing
   * {@code /}, no {@code ?}, {@code #}, {@code //} or {@code ..}.
   */
  static String checkOwnPath(String name, String example, String path) {
    if (path == null) {
      throw new NullPointerException(name + " == null");
    }
    if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("?") || path.contains("#")
        || path.contains("//") || path.contains("..") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new IllegalArgumentException(name + " must look like " + example + " (a leading /, no trailing /,"
          + " no spaces, ?, #, // or ..), was \"" + path + "\"");
    }
    return path;
  }

  /** Checks the settings together; see {@link RpcServer.Builder#build()}. */
  static RpcServerSettings check(RpcServerBuilderBase b) {
    if (b.modules.isEmpty()) {
      throw new IllegalArgumentException("an RpcServer needs at least one module; add it with module(...)");
    }
    int maxThreads = b.maxThreads == null ? DEFAULT_MAX_THREADS : b.maxThreads;
    if (b.selectors != null && maxThreads < b.selectors + 4) {
      throw problem(b, ConfigKeys.MAX_THREADS, "maxThreads " + maxThreads + " is too few for " + b.selectors
          + " selectors: each holds a thread; use at least " + (b.selectors + 4));
    }
    if (b.minThreads != null && b.minThreads > maxThreads) {
      throw problem(b, ConfigKeys.MIN_THREADS, "minThreads " + b.minThreads + " is more than maxThreads "
          + maxThreads);
    }
    checkPaths(b);
    if (b.corsAllowedOrigins == null) {
      for (String key : List.of(ConfigKeys.CORS_ALLOWED_HEADERS, ConfigKeys.CORS_ALLOW_CREDENTIALS, ConfigKeys.CORS_MAX_AGE)) {
        if (isSet(b, key)) {
          throw problem(b, key, key + " needs corsAllowedOrigins, which turns CORS on; set it, or remove " + key);
        }
      }
    } else if (Boolean.TRUE.equals(b.corsAllowCredentials) && b.corsAllowedOrigins.contains("*")) {
      throw problem(b, ConfigKeys.CORS_ALLOW_CREDENTIALS, "corsAllowCredentials cannot go with the origin *:"
          + " a page from any site could then call with the visitor's cookies; list the origins");
    }
    return new RpcServerSettings(b, tls(b));
  }

  private static boolean isSet(RpcServerBuilderBase b, String key) {
    switch (key) {
      case ConfigKeys.CORS_ALLOWED_HEADERS: return b.corsAllowedHeaders != null;
      case ConfigKeys.CORS_ALLOW_CREDENTIALS: return b.corsAllowCredentials != null;
      default: return b.corsMaxAge != null;
    }
  }

  /** Every module at its own path and route; the server's own paths clear of them. */
  private static void checkPaths(RpcServerBuilderBase b) {
    Map<String, String> paths = new HashMap<>();
    Map<String, String> routes = new HashMap<>();
    for (ServerModule module : b.modules) {
      if (paths.put(module.path(), module.path()) != null) {
        throw new IllegalArgumentException("two modules are mounted at " + module.path() + "; give each its own path");
      }
      String other = routes.put(module.route(), module.path());
      if (other != null) {
        throw new IllegalArgumentException("the modules at " + other + " and " + module.path() + " share the route "
            + module.route() + "; a client's handshake would open a session on either: give each its own route");
      }
      checkClear(b, ConfigKeys.CONSOLE, "the console path", b.consolePath, module);
      checkClear(b, ConfigKeys.HEALTH_PATH, "the health path", b.healthPath, module);
    }
    if (b.consolePath != null && b.healthPath != null && (b.healthPath.equals(b.consolePath)
        || b.healthPath.startsWith(b.consolePath + "/"))) {
      throw problem(b, ConfigKeys.HEALTH_PATH, "the health path " + b.healthPath + " is under the console path "
          + b.consolePath + "; give it its own path");
    }
  }

  private static void checkClear(RpcServerBuilderBase b, String key, String name, String own, ServerModule module) {
    if (own != null && (module.path().equals(own) || module.path().startsWith(own + "/"))) {
      throw problem(b, key, name + " " + own + " covers the module at " + module.path() + "; give "
          + name.substring(4, name.length() - 5) + " its own path");
    }
  }

  /** The keystore opened and checked (PKCS12 or JKS); null without tlsKeyStore. */
  private static SslContextFactory.Server tls(RpcServerBuilderBase b) {
    boolean hasPassword = b.tlsKeyStorePassword != null || b.tlsKeyStorePasswordFile != null
        || b.tlsKeyStorePasswordText != null;
    if (b.tlsKeyStore == null) {
      for (String key : List.of(ConfigKeys.TLS_KEY_STORE_TYPE, ConfigKeys.TLS_PROTOCOLS)) {
        if (key.equals(ConfigKeys.TLS_KEY_STORE_TYPE) ? b.tlsKeyStoreType != null : b.tlsProtocols != null) {
          throw problem(b, key, key + " needs tlsKeyStore, which turns TLS on; set it, or remove " + key);
        }
      }
      if (hasPassword) {
        throw problem(b, ConfigKeys.TLS_KEY_STORE_PASSWORD, "a keystore password is set but no tlsKeyStore;"
            + " set tlsKeyStore, or remove the password");
      }
      return null;
    }
    String where = ConfigKeys.TLS_KEY_STORE + " " + where(b, ConfigKeys.TLS_KEY_STORE);
    if (!hasPassword) {
      throw problem(b, ConfigKeys.TLS_KEY_STORE, where + ": the keystore needs its password; give it with"
          + " tlsKeyStorePasswordFile, or in the environment variable "
          + ConfigKeys.envName(b.config == null ? ConfigKeys.ENV_PREFIX : b.config.envPrefix(),
              ConfigKeys.TLS_KEY_STORE_PASSWORD) + ", or in code");
    }
    if (b.http2Cleartext != null && b.http2Cleartext) {
      throw problem(b, ConfigKeys.HTTP2_CLEARTEXT, "http2Cleartext (h2c) is for plain HTTP; it cannot go with"
          + " tlsKeyStore");
    }
    char[] password = null;
    String passwordSource;
    try {
      if (b.tlsKeyStorePassword != null) {
        password = b.tlsKeyStorePassword.clone();
        passwordSource = "RpcServer.Builder.tlsKeyStorePassword";
      } else {
        SecretText text = b.tlsKeyStorePasswordText != null ? b.tlsKeyStorePasswordText
            : SecureKeyFile.readPassword(b.tlsKeyStorePasswordFile, "RpcServer.Builder");
        password = text.text().toCharArray();
        passwordSource = text.source();
      }
      String type = Tls.typeOf(b.tlsKeyStore, b.tlsKeyStoreType);
      Function<String, IllegalArgumentException> fail = b.config != null && b.once.isFromConfig(ConfigKeys.TLS_KEY_STORE)
          ? message -> new ConfigException(ConfigKeys.TLS_KEY_STORE, b.config.source(ConfigKeys.TLS_KEY_STORE)
              .orElse(b.config.description()), message, null)
          : IllegalArgumentException::new;
      KeyStore store = Tls.open(b.tlsKeyStore, type, password, where, passwordSource, fail);
      return Tls.contextFactory(store, password, b.tlsProtocols == null ? Tls.PROTOCOLS : b.tlsProtocols);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** Where {@code key}'s value came from, for messages: {@code in file …} or {@code set in code}. */
  private static String where(RpcServerBuilderBase b, String key) {
    if (b.config != null && b.once.isFromConfig(key)) {
      return "in " + b.config.source(key).orElse(b.config.description());
    }
    return "set in code";
  }

  /** A problem with {@code key}: a {@link ConfigException} naming the file when the value came from one. */
  private static IllegalArgumentException problem(RpcServerBuilderBase b, String key, String message) {
    if (b.config != null && b.once.isFromConfig(key)) {
      String source = b.config.source(key).orElse(b.config.description());
      return new ConfigException(key, source, message + " (" + key + " in " + source + ")", null);
    }
    return new IllegalArgumentException(message);
  }

  /** A builder filled from {@code config}; see {@link RpcServer#fromConfig}. */
  static RpcServer.Builder fromConfig(ConfigSource config) {
    RpcServer.Builder b = RpcServer.builder();
    b.config = config;
    apply(config, ConfigKeys.HOST, config.string(ConfigKeys.HOST), b::host);
    config.integer(ConfigKeys.PORT, 0, 65535).ifPresent(b::port);
    apply(config, ConfigKeys.MIN_THREADS, config.integer(ConfigKeys.MIN_THREADS, 1, 10_000), b::minThreads);
    apply(config, ConfigKeys.MAX_THREADS, config.integer(ConfigKeys.MAX_THREADS, 4, 10_000), b::maxThreads);
    config.integer(ConfigKeys.SELECTORS, 1, 64).ifPresent(b::selectors);
    config.duration(ConfigKeys.IDLE_TIMEOUT).ifPresent(b::idleTimeout);
    config.timeout(ConfigKeys.STOP_TIMEOUT).ifPresent(b::stopTimeout);
    config.timeout(ConfigKeys.DRAIN_TIME).ifPresent(b::drainTime);
    config.bool(ConfigKeys.HTTP2_CLEARTEXT).ifPresent(b::http2Cleartext);
    apply(config, ConfigKeys.CONSOLE, config.string(ConfigKeys.CONSOLE), b::console);
    config.bool(ConfigKeys.SHUTDOWN_HOOK).ifPresent(b::shutdownHook);
    apply(config, ConfigKeys.HEALTH_PATH, config.string(ConfigKeys.HEALTH_PATH), b::healthPath);
    config.bool(ConfigKeys.REQUEST_LOG).ifPresent(b::requestLog);
    config.path(ConfigKeys.TLS_KEY_STORE).ifPresent(b::tlsKeyStore);
    apply(config, ConfigKeys.TLS_KEY_STORE_TYPE, config.string(ConfigKeys.TLS_KEY_STORE_TYPE), b::tlsKeyStoreType);
    config.tlsKeyStorePassword().ifPresent(b::tlsKeyStorePasswordText);
    apply(config, ConfigKeys.TLS_PROTOCOLS, list(config, ConfigKeys.TLS_PROTOCOLS), b::tlsProtocols);
    apply(config, ConfigKeys.CORS_ALLOWED_ORIGINS, list(config, ConfigKeys.CORS_ALLOWED_ORIGINS),
        b::corsAllowedOrigins);
    apply(config, ConfigKeys.CORS_ALLOWED_HEADERS, list(config, ConfigKeys.CORS_ALLOWED_HEADERS),
        b::corsAllowedHeaders);
    config.bool(ConfigKeys.CORS_ALLOW_CREDENTIALS).ifPresent(b::corsAllowCredentials);
    config.timeout(ConfigKeys.CORS_MAX_AGE).ifPresent(b::corsMaxAge);
    b.once.allFromConfig();
    return b;
  }

  /** A list value: items separated by commas (a YAML list arrives in this form). */
  private static Optional<String[]> list(ConfigSource config, String key) {
    return config.string(key).map(text -> Arrays.stream(text.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new));
  }

  /** Hands the value to the builder; a value it refuses fails naming the key and where it came from. */
  private static <T> void apply(ConfigSource config, String key, Optional<T> value, Consumer<T> setter) {
    value.ifPresent(v -> {
      try {
        setter.accept(v);
      } catch (IllegalArgumentException e) {
        String source = config.source(key).orElse(config.description());
        throw new ConfigException(key, source, key + " in " + source + ": " + e.getMessage(), e);
      }
    });
  }
}
