package dev.parley.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
 */
public final class RpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_THREADS = 200;
  static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(100);

  private final String host;
  private final List<ServerModule> modules;
  private final Server jetty;
  private final ServerConnector connector;
  private final boolean http2Cleartext;
  private final int selectors;
  private final Duration drainTime;
  private final DrainingHandler draining;
  private final String consolePath;
  private volatile boolean used;

  private RpcServer(Builder builder) {
    this.host = builder.host;
    this.modules = List.copyOf(builder.modules);
    QueuedThreadPool pool = new QueuedThreadPool(builder.maxThreads, Math.min(8, builder.maxThreads));
    pool.setName("parley-server");
    this.jetty = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.http2Cleartext = builder.http2Cleartext;
    boolean allNonBlocking = modules.stream().allMatch(ServerModule::isNonBlocking);
    if (!allNonBlocking && modules.stream().anyMatch(ServerModule::isNonBlocking)) {
      LOG.warn("some modules are nonBlocking and some are not: Jetty calls every module on a pool thread;"
          + " set nonBlocking on all of them to run calls on the I/O threads");
    }
    // Jetty's own default is one selector per two cores (at least 1, at most 4). When calls run on
    // the selectors (every module nonBlocking), one per core lets both cores serve calls.
    int cores = Runtime.getRuntime().availableProcessors();
    this.selectors = builder.selectors > 0 ? builder.selectors
        // Each selector holds a pool thread for good: leave at least half the pool for the rest.
        : Math.max(1, Math.min(allNonBlocking ? cores : Math.min(4, cores / 2), (builder.maxThreads - 2) / 2));
    this.connector = builder.http2Cleartext
        // One port for both: an HTTP/1.1 connection that starts with the HTTP/2 preface ("PRI *
        // HTTP/2.0", prior knowledge) is handed to the h2c factory; everything else stays HTTP/1.1.
        ? new ServerConnector(jetty, -1, selectors, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
        : new ServerConnector(jetty, -1, selectors, new HttpConnectionFactory(http));
    connector.setHost(builder.host);
    connector.setPort(builder.port);
    connector.setReuseAddress(true);
    connector.setIdleTimeout(builder.idleTimeout.toMillis());
    // On stop, idle keep-alive connections are closed after this long; requests in flight are not
    // affected (GracefulHandler waits for them up to the stop timeout).
    connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
    jetty.addConnector(connector);
    this.drainTime = builder.drainTime;
    this.consolePath = builder.consolePath;
    List<Handler> handlers = new ArrayList<>(modules);
    if (consolePath != null) {
      handlers.add(new ConsoleHandler(consolePath, modules));
    }
    this.draining = new DrainingHandler(modules, new Handler.Sequence(handlers.toArray(Handler[]::new)));
    jetty.setHandler(draining);
    jetty.setStopTimeout(builder.stopTimeout.toMillis());
    jetty.setStopAtShutdown(false);
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
    return this;
  }

  /** The bound port (the actual one when built with port 0); -1 before {@link #start()}. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The server's base URI, for example {@code http://127.0.0.1:8080}. */
  public URI uri() {
    String h = host == null || host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return URI.create("http://" + h + ":" + port());
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
    if (jetty.isStarted() && !draining.isShutdown() && !drainTime.isZero()) {
      draining.drainModules();
      try {
        Thread.sleep(drainTime.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();   // stop now, without the rest of the drain time
      }
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the server on " + describeAddress() + " failed: " + e.getMessage(), e);
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  Server jetty() {
    return jetty;
  }

  private String describeAddress() {
    return (host == null ? "*" : host) + ":" + connector.getPort();
  }

  @Override
  public String toString() {
    return "RpcServer[" + describeAddress() + (http2Cleartext ? ", http/1.1+h2c" : "") + ", " + modules.size()
        + " module(s), " + selectors + " selector(s)]";
  }

  /**
   * Builds an {@link RpcServer}; {@link #build()} checks the settings.
   *
   * <pre>{@code
   * RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(calc).build().start();
   * int port = server.port();
   * }</pre>
   */
  public static final class Builder {
    private String host;
    private int port = 8080;
    private final List<ServerModule> modules = new ArrayList<>();
    private int maxThreads = DEFAULT_MAX_THREADS;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration drainTime = Duration.ZERO;
    private boolean http2Cleartext;
    private int selectors;
    private String consolePath;

    private Builder() {}

    /** The interface to bind (default: all interfaces). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host == null");
      return this;
    }

    /** The port to bind (default 8080; 0 picks a free one, see {@link RpcServer#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Adds a module; each module needs its own path. */
    public Builder module(ServerModule module) {
      modules.add(Objects.requireNonNull(module, "module == null"));
      return this;
    }

    /** The most request threads (default 200). */
    public Builder maxThreads(int maxThreads) {
      if (maxThreads < 4) {
        throw new IllegalArgumentException("maxThreads must be at least 4 (Jetty needs threads for its selector and acceptor), was " + maxThreads);
      }
      this.maxThreads = maxThreads;
      return this;
    }

    /**
     * The number of I/O (selector) threads. Default: one per core when every module is
     * {@linkplain ServerModule.Builder#nonBlocking nonBlocking} (calls then run on them), else
     * Jetty's default of one per two cores (1 to 4); the default never takes more than half of
     * {@link #maxThreads(int)}. Each selector holds a pool thread, so {@code build()} refuses an
     * explicit count with fewer than {@code selectors + 4} threads.
     */
    public Builder selectors(int selectors) {
      if (selectors < 1 || selectors > 64) {
        throw new IllegalArgumentException("selectors must be 1..64, was " + selectors);
      }
      this.selectors = selectors;
      return this;
    }

    /** How long {@link RpcServer#stop()} waits for in-flight calls (default 30 s). */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "stopTimeout == null");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout must not be negative, was " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * How long {@link RpcServer#stop()} keeps accepting connections while its modules drain, before
     * it closes the port (default 0: close it at once). Every call that arrives meanwhile is
     * answered "not run" (PROTOCOL.md §15.7). Behind a load balancer, set it at least as long as
     * the clients' {@code probeAfterIdle} (docs/DEPLOYING.md), so that every client with a session
     * here either learns that this server is going away or checks its session before its next
     * call.
     */
    public Builder drainTime(Duration time) {
      Objects.requireNonNull(time, "drainTime == null");
      if (time.isNegative()) {
        throw new IllegalArgumentException("drainTime must not be negative, was " + time);
      }
      this.drainTime = time;
      return this;
    }

    /** How long an idle connection stays open (default 30 s). */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "idleTimeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, was " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * Also serves HTTP/2 cleartext with prior knowledge (h2c, RFC 9113 §3.3) on the same port, next
     * to HTTP/1.1 (default false). A client that opens with the HTTP/2 connection preface speaks
     * HTTP/2 and multiplexes its calls over one connection; every other client keeps HTTP/1.1. The
     * HTTP/1.1 {@code Upgrade: h2c} dance is not offered (Parley's calls are POSTs with bodies).
     *
     * <pre>{@code
     * RpcServer server = RpcServer.builder().port(8080).http2Cleartext(true).module(calc).build();
     * ClientModule client = ClientModule.builder("http://127.0.0.1:8080/calc").http2PriorKnowledge(true).build();
     * }</pre>
     */
    public Builder http2Cleartext(boolean enabled) {
      this.http2Cleartext = enabled;
      return this;
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
    public Builder console(String path) {
      Objects.requireNonNull(path, "console path == null");
      if (consolePath != null) {
        throw new IllegalStateException("the console path was already set to " + consolePath);
      }
      if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("?") || path.contains("#")
          || path.contains("//") || path.contains("..")) {
        throw new IllegalArgumentException("the console path must look like /console (a leading /, no trailing /,"
            + " no ?, #, // or ..), was " + path);
      }
      this.consolePath = path;
      return this;
    }

    /**
     * Builds the server (not yet started).
     *
     * @throws IllegalArgumentException with no module, or two modules at the same path
     */
    public RpcServer build() {
      if (modules.isEmpty()) {
        throw new IllegalArgumentException("an RpcServer needs at least one module; add it with module(...)");
      }
      if (selectors > 0 && maxThreads < selectors + 4) {
        throw new IllegalArgumentException("maxThreads " + maxThreads + " is too few for " + selectors
            + " selectors: each holds a thread; use at least " + (selectors + 4));
      }
      Set<String> paths = new HashSet<>();
      for (ServerModule module : modules) {
        if (!paths.add(module.path())) {
          throw new IllegalArgumentException("two modules are mounted at " + module.path() + "; give each its own path");
        }
        if (consolePath != null && (module.path().equals(consolePath) || module.path().startsWith(consolePath + "/"))) {
          throw new IllegalArgumentException("the console path " + consolePath + " covers the module at " + module.path()
              + "; give the console its own path");
        }
      }
      return new RpcServer(this);
    }
  }
}
