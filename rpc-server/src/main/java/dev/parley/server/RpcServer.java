package dev.parley.server;

import dev.parley.internal.config.ConfigKeys;
import dev.parley.internal.config.ConfigSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty 12 HTTP server hosting one or more {@link ServerModule}s, each at its own path.
 *
 * <pre>{@code
 * try (RpcServer server = RpcServer.builder()
 *     .host("127.0.0.1").port(8080)
 *     .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(new CalculatorImpl())).build())
 *     .build()
 *     .start()) {
 *   System.out.println("serving at " + server.uri());
 *   server.join();
 * }
 * }</pre>
 *
 * <p>{@link #stop()} is graceful (PROTOCOL.md §15.7, docs/SERVER.md "Stopping"): every module starts
 * draining, so calls that are not running yet are answered HTTP 503 and run nothing (a sealed call
 * gets an authenticated answer that tells its client, for sure, to send it again on a new
 * session); after {@link Builder#drainTime(Duration)} (default 0) the server stops accepting
 * connections and waits up to {@link Builder#stopTimeout(Duration)} for calls in flight
 * (asynchronous ones included) to finish. A stopped server cannot be started again; build a new one
 * (it may bind the same port at once).
 *
 * <p>Its settings come from code or from a config file ({@link #fromConfig(Path)}, docs/CONFIG.md):
 * host, port, threads, timeouts, HTTPS from a keystore, a health path, Jetty's request log, CORS by
 * Jetty's {@code CrossOriginHandler} (off by default) and a JVM shutdown hook (docs/OPERATIONS.md).
 */
public final class RpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
  /** The SLF4J logger of the request log ({@link Builder#requestLog(boolean)}). */
  static final String REQUEST_LOG = "dev.parley.server.RequestLog";
  static final int DEFAULT_MAX_THREADS = RpcServerSettings.DEFAULT_MAX_THREADS;
  static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(100);

  private final String host;
  private final List<ServerModule> modules;
  private final Server jetty;
  private final ServerConnector connector;
  private final boolean http2Cleartext;
  private final boolean tls;
  private final int selectors;
  private final Duration drainTime;
  private final DrainingHandler draining;
  private final String consolePath;
  private final String healthPath;
  private final Thread shutdownHook;
  private volatile boolean used;

  private RpcServer(RpcServerSettings s) {
    this.host = s.host;
    this.modules = s.modules;
    QueuedThreadPool pool = new QueuedThreadPool(s.maxThreads, s.minThreads);
    pool.setName("parley-server");
    this.jetty = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.http2Cleartext = s.http2Cleartext;
    this.tls = s.tls != null;
    boolean allNonBlocking = modules.stream().allMatch(ServerModule::isNonBlocking);
    if (!allNonBlocking && modules.stream().anyMatch(ServerModule::isNonBlocking)) {
      LOG.warn("some modules are nonBlocking and some are not: Jetty calls every module on a pool thread;"
          + " set nonBlocking on all of them to run calls on the I/O threads");
    }
    // Jetty's own default is one selector per two cores (at least 1, at most 4). When calls run on
    // the selectors (every module nonBlocking), one per core lets both cores serve calls.
    int cores = Runtime.getRuntime().availableProcessors();
    this.selectors = s.selectors > 0 ? s.selectors
        // Each selector holds a pool thread for good: leave at least half the pool for the rest.
        : Math.max(1, Math.min(allNonBlocking ? cores : Math.min(4, cores / 2), (s.maxThreads - 2) / 2));
    if (tls) {
      http.addCustomizer(new SecureRequestCustomizer());
      this.connector = new ServerConnector(jetty, -1, selectors,
          new SslConnectionFactory(s.tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
    } else {
      this.connector = s.http2Cleartext
          // One port for both: an HTTP/1.1 connection that starts with the HTTP/2 preface ("PRI *
          // HTTP/2.0", prior knowledge) is handed to the h2c factory; everything else stays HTTP/1.1.
          ? new ServerConnector(jetty, -1, selectors, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
          : new ServerConnector(jetty, -1, selectors, new HttpConnectionFactory(http));
    }
    connector.setHost(s.host);
    connector.setPort(s.port);
    connector.setReuseAddress(true);
    connector.setIdleTimeout(s.idleTimeout.toMillis());
    // On stop, idle keep-alive connections are closed after this long; requests in flight are not
    // affected (GracefulHandler waits for them up to the stop timeout).
    connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
    jetty.addConnector(connector);
    this.drainTime = s.drainTime;
    this.consolePath = s.consolePath;
    this.healthPath = s.healthPath;
    List<Handler> handlers = new ArrayList<>();
    if (healthPath != null) {
      handlers.add(new HealthHandler(healthPath, this::isDraining));
    }
    if (consolePath != null) {
      handlers.add(new ConsoleHandler(consolePath, modules));
    }
    Handler served = new Handler.Sequence(modules.toArray(Handler[]::new));
    handlers.add(s.corsOrigins == null ? served
        : Cors.handler(s.corsOrigins, s.corsHeaders, s.corsCredentials, s.corsMaxAge, served));
    this.draining = new DrainingHandler(modules, new Handler.Sequence(handlers.toArray(Handler[]::new)));
    jetty.setHandler(draining);
    if (s.requestLog) {
      // NCSA extended: address, time, request line, status, bytes, referrer, user agent; no other header.
      jetty.setRequestLog(new CustomRequestLog(new Slf4jRequestLogWriter() {
        {
          setLoggerName(REQUEST_LOG);
        }
      }, CustomRequestLog.EXTENDED_NCSA_FORMAT));
    }
    jetty.setStopTimeout(s.stopTimeout.toMillis());
    jetty.setStopAtShutdown(false);
    this.shutdownHook = s.shutdownHook ? new Thread(this::stopFromHook, "parley-shutdown") : null;
  }

  /**
   * A builder filled from a YAML ({@code .yml}, {@code .yaml}) or properties file of RpcServer
   * settings ({@code host}, {@code port}, threads, timeouts, TLS, health path, request log, CORS;
   * docs/CONFIG.md "RpcServer"), with environment overrides {@code PARLEY_<KEY>}, or with the prefix
   * the file's {@code envPrefix} names. Add the modules in code; a builder call made afterwards
   * replaces the file's value once. Values are checked here, and the keystore is opened at
   * {@code build()}; a bad value fails with a {@link dev.parley.ConfigException} naming the key and
   * the file (or the environment variable).
   *
   * <pre>{@code
   * RpcServer server = RpcServer.fromConfig(Path.of("/etc/parley/server.yml"))
   *     .module(ServerModule.fromConfig(Path.of("/etc/parley/calc-server.yml"), "PARLEY_CALC")
   *         .functions(new CalculatorFunctions(new CalculatorImpl())).build())
   *     .build()
   *     .start();
   * }</pre>
   *
   * @throws dev.parley.ConfigException the file is missing, unreadable, not YAML or properties,
   *     holds an unknown key (a module's key names the file it belongs in), or a value has the wrong form
   */
  public static Builder fromConfig(Path file) {
    return fromConfig(file, System.getenv());
  }

  /** {@link #fromConfig(Path)} with {@code env} in place of the process environment (tests). */
  public static Builder fromConfig(Path file, Map<String, String> env) {
    return RpcServerSettings.fromConfig(ConfigSource.load(file, ConfigKeys.RPC_SERVER, env));
  }

  /** Starts a builder; at least one module is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving.
   *
   * @throws IllegalStateException when the server was started before, or the port cannot be bound
   */
  public RpcServer start() {
    if (used) {
      throw new IllegalStateException("this RpcServer was already started; build a new one");
    }
    used = true;
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("could not start the server on " + describeAddress() + ": " + e.getMessage(), e);
    }
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    return this;
  }

  /** The bound port (the actual one when built with port 0); -1 before {@link #start()}. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The server's base URI, for example {@code http://127.0.0.1:8080} ({@code https} with TLS). */
  public URI uri() {
    String h = host == null || host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return URI.create((tls ? "https://" : "http://") + h + ":" + port());
  }

  /** The modules this server hosts. */
  public List<ServerModule> modules() {
    return modules;
  }

  /**
   * The path of the console page ({@link Builder#console(String)}), or empty when it is off (the
   * default).
   */
  public Optional<String> consolePath() {
    return Optional.ofNullable(consolePath);
  }

  /** True when the port also serves HTTP/2 cleartext (see {@link Builder#http2Cleartext}). */
  public boolean http2Cleartext() {
    return http2Cleartext;
  }

  /** The number of I/O (selector) threads (see {@link Builder#selectors(int)}). */
  public int selectors() {
    return selectors;
  }

  /**
   * True when Jetty runs calls on its I/O threads with no hand-off: every module is
   * {@linkplain ServerModule.Builder#nonBlocking nonBlocking}.
   */
  public boolean runsCallsOnIoThreads() {
    return jetty.getInvocationType() == Invocable.InvocationType.NON_BLOCKING;
  }

  /** True between a successful {@link #start()} and {@link #stop()}. */
  public boolean isRunning() {
    return jetty.isStarted();
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /**
   * Stops gracefully: every module drains (new calls are answered "not run", PROTOCOL.md §15.7); for
   * {@link Builder#drainTime(Duration)} the port stays open so that clients still reach this server
   * and learn that it is going away; then no new connections, in-flight calls finish (up to the stop
   * timeout), and the port is released. Idempotent.
   */
  public void stop() {
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: the hook stops the server too, which is idempotent
      }
    }
    boolean interrupted = false;
    if (jetty.isStarted() && !draining.isShutdown() && !drainTime.isZero()) {
      draining.drainModules();
      try {
        Thread.sleep(drainTime.toMillis());
      } catch (InterruptedException e) {
        interrupted = true;   // stop now, without the rest of the drain time, but still gracefully
      }
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the server on " + describeAddress() + " failed: " + e.getMessage(), e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** For the health path: a graceful stop began (the modules drain, or Jetty stops). */
  private boolean isDraining() {
    return draining.isDraining() || jetty.isStopping();
  }

  private void stopFromHook() {
    LOG.info("the JVM is shutting down: stopping {} gracefully", this);
    stop();
  }

  /**
   * Reads the SecureKeys of every module whose keys came from files again ({@link ServerModule#reloadKeys()}):
   * all are read and checked first, and only when every one is good do the modules use them, so a
   * bad file changes nothing. Live sessions are kept. Modules whose keys were given in code, and
   * modules without SecureKeys, are left alone.
   *
   * @return the key ids in use now, by module path, for the modules reloaded
   * @throws dev.parley.ConfigException a key file cannot be read or holds no valid key
   * @throws IllegalArgumentException the new keys of a module break a rule (more than 4, an id twice)
   */
  public Map<String, List<Integer>> reloadKeys() {
    Map<String, Runnable> ready = new LinkedHashMap<>();
    for (ServerModule module : modules) {
      Runnable use = module.prepareKeyReload();
      if (use != null) {
        ready.put(module.path(), use);
      }
    }
    Map<String, List<Integer>> ids = new LinkedHashMap<>();
    for (ServerModule module : modules) {
      Runnable use = ready.get(module.path());
      if (use != null) {
        use.run();
        ids.put(module.path(), module.keyIds());
      }
    }
    return ids;
  }

  /** The health path ({@link Builder#healthPath(String)}), or empty when it is off (the default). */
  public Optional<String> healthPath() {
    return Optional.ofNullable(healthPath);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  Server jetty() {
    return jetty;
  }

  /** The shutdown hook, or null without {@link Builder#shutdownHook(boolean)} (tests). */
  Thread shutdownHook() {
    return shutdownHook;
  }

  private String describeAddress() {
    return (host == null ? "*" : host) + ":" + connector.getPort();
  }

  @Override
  public String toString() {
    return "RpcServer[" + describeAddress() + (tls ? ", https" : "") + (http2Cleartext ? ", http/1.1+h2c" : "") + ", " + modules.size()
        + " module(s), " + selectors + " selector(s)]";
  }

  /**
   * Builds an {@link RpcServer}; {@link #build()} checks the settings. Its setters are documented on
   * {@link RpcServerBuilderBase}'s methods; each setting may be given once (a value read by
   * {@link RpcServer#fromConfig} may be replaced once in code).
   *
   * <pre>{@code
   * RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(calc).build().start();
   * int port = server.port();
   * }</pre>
   */
  public static final class Builder extends RpcServerBuilderBase {
    private Builder() {}

    /**
     * Builds the server (not yet started); opens the TLS keystore when one is set.
     *
     * @throws IllegalArgumentException no module, two modules at one path or route, a console or
     *     health path over a module, a CORS or TLS setting without the setting that turns it on, or a
     *     keystore that cannot be opened ({@link dev.parley.ConfigException}, naming the key and the
     *     file, for values from a config file)
     */
    public RpcServer build() {
      return new RpcServer(RpcServerSettings.check(this));
    }
  }
}
