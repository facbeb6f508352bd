package dev.parley.it.secure;

import dev.parley.server.ServerModule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link CountingCalculator}s of the modules a test serves, one per path, and how many sessions
 * each module opened: the record the tests check. The modules go to a {@code ParleyServer}.
 *
 * <pre>{@code
 * Calculators calculators = new Calculators();
 * try (ParleyServer server = ParleyServer.builder()
 *     .module(calculators.module("/calc").secureKey(Keys.a()))
 *     .build().start()) {
 *   …
 *   assertEquals(1, calculators.service("/calc").invocations("add"));
 *   assertEquals(1, calculators.sessionsOpened("/calc"));
 * }
 * }</pre>
 */
final class Calculators {
  private final Map<String, CountingCalculator> services = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> sessionsOpened = new ConcurrentHashMap<>();

  /**
   * A module at {@code path} serving a new {@link CountingCalculator} and counting its sessions;
   * add the test's settings. Built again by a restart, it keeps its calculator and its count.
   */
  ServerModule.Builder module(String path) {
    CountingCalculator service = new CountingCalculator();
    AtomicInteger opened = new AtomicInteger();
    if (services.putIfAbsent(path, service) != null) {
      throw new IllegalStateException("a module at " + path + " was already made");
    }
    sessionsOpened.put(path, opened);
    return ServerModule.builder(path)
        .functions(new CalculatorFunctions(service))
        .onSessionOpen(session -> opened.incrementAndGet());
  }

  /** The functions served at {@code path}. */
  CountingCalculator service(String path) {
    return services.get(path);
  }

  /** How many sessions the module at {@code path} opened, across restarts. */
  int sessionsOpened(String path) {
    return sessionsOpened.get(path).get();
  }
}
