package dev.parley.testing;

import dev.parley.client.ClientModule;
import dev.parley.crypto.SecureKey;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Parley server for tests: an {@link RpcServer} (Jetty) on 127.0.0.1 and a free port serving
 * the given modules, and real {@link ClientModule}s (OkHttp) configured to match. As a JUnit 5
 * extension it starts the server before the tests and stops it after them, and injects client
 * modules and generated stubs into test methods.
 *
 * <pre>{@code
 * class CalculatorTest {
 *   @RegisterExtension
 *   static final ParleyServer server = ParleyServer.builder()
 *       .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(new CalculatorImpl())))
 *       .encrypted()                                   // optional: a fresh SecureKey for every module
 *       .build();
 *
 *   @Test void addsOverTheWire(CalculatorClient calc) {  // a stub on a client module made for this test
 *     assertEquals(3, calc.add(1, 2));
 *   }
 *
 *   @Test void answersTheGenericCall(ClientModule module) {
 *     assertEquals(3, module.call("add", Map.of("a", 1, "b", 2), Integer.class));
 *   }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Registered on a {@code static} field, the server starts before the first test
 * of the class and stops after the last; on an instance field, every test gets a server of its own.
 * A test may {@link #stop()} and {@link #start()} the server itself, to test a restart: it starts
 * again on the same port, with its modules built anew from the same builders (new sessions, a new
 * server instance; the function objects are the same ones). A server stopped by a test and not
 * started again is started again before the next test. Outside JUnit, call {@link #start()} and
 * {@link #close()} (it is {@link AutoCloseable}).
 *
 * <p><b>Clients.</b> {@link #client(String)} makes a client module for a served module: encrypted
 * with the server's key when the server is {@link Builder#encrypted() encrypted}, plain otherwise.
 * Client modules made while a test runs (in the test, its {@code @BeforeEach} methods or injected
 * into them) are closed after that test; the others (made in {@code @BeforeAll} methods) when the
 * server is closed. Parameters of type {@code ClientModule} or of a generated stub type (a class
 * with a constructor taking only a {@code RemoteCaller} or a {@code ClientModule}) are injected;
 * within one test they share one client module per path, so they share its session. With several
 * modules, name one with {@link ModulePath}. The server keeps the clients of one running test at a
 * time: do not run the tests that share a server in parallel (JUnit runs them one after another
 * unless told otherwise).
 *
 * <p>Server modules are given as builders, not built modules, so that the server can add its
 * settings (the key, the {@link ManualTicker}, the {@link ManualClock}) and build the modules again
 * for a restart. Give each {@code ParleyServer} builders of its own.
 */
public final class ParleyServer
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver,
    AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final List<ServerModule.Builder> moduleBuilders;
  private final List<String> paths;
  private final SecureKey secureKey;
  private final Consumer<RpcServer.Builder> serverSettings;

  // Guarded by this (the clients are not).
  private List<ServerModule> nextModules;   // built by the builder (so its errors come early), served first
  private RpcServer running;
  private int port;                          // 0 until the first start, then the bound port
  private final ExtensionScope scope = new ExtensionScope();
  private final Clients classClients = new Clients();
  private final AtomicReference<Clients> testClients = new AtomicReference<>();   // set while a test runs

  private ParleyServer(Builder builder) {
    this.moduleBuilders = List.copyOf(builder.modules);
    this.secureKey = builder.secureKey;
    this.serverSettings = builder.serverSettings;
    for (ServerModule.Builder module : moduleBuilders) {
      ServerHooks.install(module, secureKey, builder.ticker, builder.clock, builder.deadlines);
    }
    this.nextModules = buildModules();
    Set<String> seen = new LinkedHashSet<>();
    for (ServerModule module : nextModules) {
      if (!seen.add(module.path())) {
        throw new IllegalArgumentException("two modules are served at " + module.path() + "; give each its own path");
      }
    }
    this.paths = List.copyOf(seen);
  }

  /**
   * Starts a builder.
   *
   * <pre>{@code
   * ParleyServer.builder().module(ServerModule.builder("/calc").functions(...)).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  private List<ServerModule> buildModules() {
    List<ServerModule> built = new ArrayList<>();
    for (ServerModule.Builder module : moduleBuilders) {
      built.add(module.build());
    }
    return built;
  }

  // ------------------------------------------------------------------ running it

  /**
   * Starts serving: on a free port the first time, on the same port after a {@link #stop()}, with the
   * modules built anew from their builders. The extension calls it for you.
   *
   * <pre>{@code
   * server.stop();
   * server.start();                       // a restart in place: same URL, new sessions
   * }</pre>
   *
   * @return this server
   * @throws IllegalStateException the server is running, or the port cannot be bound
   */
  public synchronized ParleyServer start() {
    if (running != null) {
      throw new IllegalStateException("the server is already running on port " + port);
    }
    List<ServerModule> modules = nextModules != null ? nextModules : buildModules();
    nextModules = null;
    RpcServer.Builder server = RpcServer.builder();
    serverSettings.accept(server);
    server.host(HOST).port(port);
    modules.forEach(server::module);
    running = server.build().start();
    port = running.port();
    return this;
  }

  /**
   * Stops the server gracefully (docs/SERVER.md, "Stopping"); its client modules stay open, so that
   * a test can {@link #start()} it again and go on calling. Does nothing when it is not running.
   *
   * <pre>{@code
   * server.stop();
   * assertThrows(TransportException.class, () -> calc.add(1, 2));   // with waitForServer(false)
   * }</pre>
   */
  public void stop() {
    RpcServer stopping;
    synchronized (this) {
      stopping = running;
      running = null;
    }
    if (stopping != null) {
      stopping.stop();
    }
  }

  /**
   * Stops the server and closes every client module it made.
   *
   * <pre>{@code
   * try (ParleyServer server = ParleyServer.builder().module(...).build().start()) { ... }
   * }</pre>
   */
  @Override
  public void close() {
    try {
      closeTestClients();
      classClients.close();
    } finally {
      stop();
    }
  }

  private void closeTestClients() {
    Clients tests = testClients.getAndSet(null);
    if (tests != null) {
      tests.close();
    }
  }

  /** Whether the server is serving now. */
  public synchronized boolean isRunning() {
    return running != null;
  }

  // ------------------------------------------------------------------ where it is

  /**
   * The port the server is bound to (also after it stopped).
   *
   * <pre>{@code
   * int port = server.port();
   * }</pre>
   *
   * @throws IllegalStateException the server has not been started yet
   */
  public synchronized int port() {
    if (port == 0) {
      throw new IllegalStateException("the server has not been started yet: register it with @RegisterExtension,"
          + " or call start()");
    }
    return port;
  }

  /**
   * The server's base URI, {@code http://127.0.0.1:<port>}.
   *
   * <pre>{@code
   * AttackProxy proxy = new AttackProxy(server.uri().toString());
   * }</pre>
   */
  public URI uri() {
    return URI.create("http://" + HOST + ":" + port());
  }

  /**
   * The URL of {@code path} on this server, served or not.
   *
   * <pre>{@code
   * ClientModule calc = ClientModule.builder(server.url("/calc")).build();
   * }</pre>
   */
  public String url(String path) {
    Objects.requireNonNull(path, "path == null");
    return uri() + path;
  }

  /**
   * The SecureKey {@link Builder#encrypted()} gave every module.
   *
   * <pre>{@code
   * ClientModule.builder(server.url("/calc")).secureKey(server.secureKey()).autoRepost(false).build();
   * }</pre>
   *
   * @throws IllegalStateException the server was not built with {@code encrypted()}
   */
  public SecureKey secureKey() {
    if (secureKey == null) {
      throw new IllegalStateException("this server is not encrypted: build it with encrypted() to give its modules a"
          + " SecureKey");
    }
    return secureKey;
  }

  // ------------------------------------------------------------------ clients

  /**
   * A new client module for the server's only module; see {@link #client(String)}.
   *
   * @throws IllegalStateException the server serves several modules (name one), or has not started
   */
  public ClientModule client() {
    return client(onlyPath());
  }

  /**
   * A new client module for the module at {@code path}, encrypted with the server's key when the
   * server is {@link Builder#encrypted() encrypted}, and closed after the test that made it (or,
   * made outside a test, when the server is closed).
   *
   * <pre>{@code
   * CalculatorClient calc = new CalculatorClient(server.client("/calc"));
   * }</pre>
   *
   * @throws IllegalArgumentException no module is served at {@code path}
   * @throws IllegalStateException the server has not been started
   */
  public ClientModule client(String path) {
    return client(path, settings -> { });
  }

  /**
   * {@link #client(String)} with more client settings, applied after the server's. Like every
   * builder setting, the key the server gave cannot be given again: for a client with another key,
   * build it with {@code ClientModule.builder(server.url(path))}.
   *
   * <pre>{@code
   * ClientModule calc = server.client("/calc", b -> b.autoRepost(false).listener(listener));
   * }</pre>
   *
   * @throws IllegalArgumentException no module is served at {@code path}
   * @throws IllegalStateException the server has not been started
   */
  public ClientModule client(String path, Consumer<ClientModule.Builder> settings) {
    Objects.requireNonNull(settings, "settings == null");
    ClientModule.Builder builder = clientBuilder(path);
    settings.accept(builder);
    return currentClients().track(builder.build());
  }

  private ClientModule.Builder clientBuilder(String path) {
    Objects.requireNonNull(path, "path == null");
    if (!paths.contains(path)) {
      throw new IllegalArgumentException("no module is served at " + path + "; the server serves " + paths);
    }
    ClientModule.Builder builder = ClientModule.builder(url(path));
    if (secureKey != null) {
      builder.secureKey(secureKey);
    }
    return builder;
  }

  private String onlyPath() {
    if (paths.size() != 1) {
      throw new IllegalStateException("the server serves " + paths.size() + " modules " + paths + "; name one");
    }
    return paths.get(0);
  }

  private Clients currentClients() {
    Clients tests = testClients.get();
    return tests != null ? tests : classClients;
  }

  // ------------------------------------------------------------------ JUnit

  /** Starts the server, unless it runs already. Called by JUnit. */
  @Override
  public void beforeAll(ExtensionContext context) {
    startFor(context);
  }

  /** Starts the server, unless it runs already, and opens the test's scope of clients. Called by JUnit. */
  @Override
  public void beforeEach(ExtensionContext context) {
    testClients.set(new Clients());
    startFor(context);
  }

  /** Closes the test's clients, and stops a server started for the test. Called by JUnit. */
  @Override
  public void afterEach(ExtensionContext context) {
    try {
      closeTestClients();
    } finally {
      stopFor(context);
    }
  }

  /** Stops the server and closes the remaining clients at the end of the class. Called by JUnit. */
  @Override
  public void afterAll(ExtensionContext context) {
    stopFor(context);
  }

  private void startFor(ExtensionContext context) {
    if (scope.enter(context.getUniqueId(), isRunning())) {
      start();
    }
  }

  private void stopFor(ExtensionContext context) {
    switch (scope.exit(context.getUniqueId())) {
      case CLOSE:
        close();
        break;
      case STOP:
        stop();
        break;
      default:
        break;
    }
  }

  /**
   * Whether the parameter is a {@code ClientModule} or a generated stub for a module of this server.
   * Called by JUnit.
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return Injection.supports(parameter, paths);
  }

  /** A client module, or a stub on one, shared by the parameters of one test per path. Called by JUnit. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    String path = Injection.path(parameter, paths);
    if (!isRunning()) {
      throw new ParameterResolutionException("the server is not running when " + parameter.getDeclaringExecutable()
          + " needs a client; inject clients into test and lifecycle methods, not constructors");
    }
    ClientModule client = currentClients().injected(path, () -> clientBuilder(path).build());
    return Injection.as(parameter, client);
  }

  @Override
  public synchronized String toString() {
    return "ParleyServer[" + HOST + ":" + (port == 0 ? "not started" : port) + ", " + paths
        + (secureKey != null ? ", encrypted" : "") + (running == null ? ", stopped" : "") + "]";
  }

  // ------------------------------------------------------------------ builder

  /**
   * Collects the modules and the settings of a {@link ParleyServer}. Each setting may be given
   * once; {@link #build()} builds the modules, so a module's own errors show there.
   */
  public static final class Builder extends ParleyServerBuilderBase {
    private boolean built;

    private Builder() {}

    /**
     * Builds the server (not started): adds the settings to the module builders and builds the
     * modules once, so that their errors show here.
     *
     * @throws IllegalArgumentException no module was added, two modules share a path, or a module's
     *     own settings are invalid (its builder's message)
     * @throws IllegalStateException {@code encrypted()} and a module's own SecureKey, or a second build
     */
    public ParleyServer build() {
      if (built) {
        throw new IllegalStateException("build() was already called; a ParleyServer.Builder builds one server");
      }
      if (modules.isEmpty()) {
        throw new IllegalArgumentException("a ParleyServer needs at least one module: add one with"
            + " module(ServerModule.builder(\"/calc\").functions(...))");
      }
      built = true;
      if (serverSettings == null) {
        serverSettings = server -> { };
      }
      return new ParleyServer(this);
    }
  }
}
