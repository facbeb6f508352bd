package dev.parley.it.secure;

import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real Parley server on 127.0.0.1 with modules of {@link CountingCalculator}; each module's
 * settings come from the test, and the server counts the sessions each module opened.
 *
 * <pre>{@code
 * try (SecureServer server = SecureServer.builder()
 *     .module("/calc", b -> b.encryptionKey(32).secureKey(Keys.a()))
 *     .start()) { … }
 * }</pre>
 */
final class SecureServer implements AutoCloseable {
  final RpcServer server;
  private final Map<String, CountingCalculator> services;
  private final Map<String, AtomicInteger> sessionsOpened;

  private SecureServer(RpcServer server, Map<String, CountingCalculator> services,
      Map<String, AtomicInteger> sessionsOpened) {
    this.server = server;
    this.services = services;
    this.sessionsOpened = sessionsOpened;
  }

  static Builder builder() {
    return new Builder();
  }

  /** The functions served at {@code path}. */
  CountingCalculator service(String path) {
    return services.get(path);
  }

  /** How many sessions the module at {@code path} opened. */
  int sessionsOpened(String path) {
    return sessionsOpened.get(path).get();
  }

  String base() {
    return server.uri().toString();
  }

  String url(String path) {
    return base() + path;
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }

  static final class Builder {
    private int port;
    private final List<String> paths = new ArrayList<>();
    private final List<UnaryOperator<ServerModule.Builder>> settings = new ArrayList<>();
    private final Map<String, CountingCalculator> services = new ConcurrentHashMap<>();

    /** Binds {@code port} instead of a free one (a restart on the same port). */
    Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Adds a module at {@code path} with its own {@link CountingCalculator}. */
    Builder module(String path, UnaryOperator<ServerModule.Builder> settings) {
      return module(path, new CountingCalculator(), settings);
    }

    /** Adds a module at {@code path} serving {@code service} (shared across restarts). */
    Builder module(String path, CountingCalculator service, UnaryOperator<ServerModule.Builder> settings) {
      paths.add(path);
      this.settings.add(settings);
      services.put(path, service);
      return this;
    }

    SecureServer start() {
      Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();
      RpcServer.Builder server = RpcServer.builder().host("127.0.0.1").port(port);
      for (int i = 0; i < paths.size(); i++) {
        String path = paths.get(i);
        AtomicInteger count = new AtomicInteger();
        opened.put(path, count);
        ServerModule.Builder module = ServerModule.builder(path)
            .functions(new CalculatorFunctions(services.get(path)))
            .onSessionOpen(session -> count.incrementAndGet());
        server.module(settings.get(i).apply(module).build());
      }
      return new SecureServer(server.build().start(), Map.copyOf(services), opened);
    }
  }
}
