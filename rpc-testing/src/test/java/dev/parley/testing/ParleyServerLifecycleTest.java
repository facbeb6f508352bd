package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.parley.TransportException;
import dev.parley.client.ClientModule;
import dev.parley.testing.LifecycleSamples.ClientsSample;
import dev.parley.testing.LifecycleSamples.InstanceSample;
import dev.parley.testing.LifecycleSamples.StaticSample;
import dev.parley.testing.LifecycleSamples.StoppingSample;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * When the extension starts and stops the server and closes its clients: small test classes
 * ({@link LifecycleSamples}) run through JUnit's {@link EngineTestKit}, and what they saw is
 * checked after.
 */
class ParleyServerLifecycleTest {
  /** Runs {@code sample} and checks that its {@code tests} tests all passed. */
  private static void run(Class<?> sample, int tests) {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter(LifecycleSamples.RUN, "true")
        .selectors(selectClass(sample))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(tests).succeeded(tests));
  }

  static void assertClosed(ClientModule module) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> module.call("add", Map.of("a", 1, "b", 2), Integer.class));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void aServerOnAStaticFieldServesEveryTestOfTheClassAndOfItsNestedClassesOnOnePortAndStopsAfterThem() {
    run(StaticSample.class, 3);
    assertEquals(3, StaticSample.ports.size());
    assertEquals(1, StaticSample.ports.stream().distinct().count(), StaticSample.ports.toString());
    assertFalse(StaticSample.server.isRunning());
  }

  @Test
  void aServerOnAnInstanceFieldIsAServerOfTheTestsOwnStoppedAfterIt() {
    run(InstanceSample.class, 2);
    assertEquals(2, InstanceSample.servers.size());
    assertNotSame(InstanceSample.servers.get(0), InstanceSample.servers.get(1));
    assertFalse(InstanceSample.servers.get(0).isRunning());
    assertFalse(InstanceSample.servers.get(1).isRunning());
  }

  @Test
  void clientsMadeInATestAreClosedAfterItAndClientsMadeBeforeAllAfterTheClass() {
    run(ClientsSample.class, 2);   // its second test checks that the first test's clients are closed
    assertClosed(ClientsSample.beforeAll);
  }

  @Test
  void aServerStoppedByATestIsStartedAgainOnItsPortForTheNextTest() {
    run(StoppingSample.class, 2);
    assertFalse(StoppingSample.server.isRunning());
  }

  @Test
  void aRestartKeepsThePortAndStartsNewSessions() {
    try (ParleyServer server = ParleyServer.builder().module(Modules.counter()).build().start()) {
      CounterClient counter = new CounterClient(server.client());
      int port = server.port();
      assertEquals(1, counter.visits());
      assertEquals(2, counter.visits());

      server.stop();
      server.start();

      assertEquals(port, server.port());
      assertEquals(1, counter.visits(), "the restarted module does not know the old session");
    }
  }

  @Test
  void aStoppedServerRefusesCallsUntilItIsStartedAgain() {
    try (ParleyServer server = ParleyServer.builder().module(Modules.counter()).build().start()) {
      CounterClient counter = new CounterClient(server.client(Modules.COUNTER, b -> b.waitForServer(false)));
      server.stop();
      assertFalse(server.isRunning());
      assertThrows(TransportException.class, () -> counter.add(1, 2));

      server.start();

      assertEquals(3, counter.add(1, 2));
    }
  }

  @Test
  void aServerUsedWithoutJUnitIsClosedWithItsClients() {
    ParleyServer server = ParleyServer.builder().module(Modules.counter()).build().start();
    ClientModule client = server.client();
    assertEquals(3, new CounterClient(client).add(1, 2));

    server.close();

    assertFalse(server.isRunning());
    assertClosed(client);
  }

  @Test
  void aRunningServerCannotBeStartedAgain() {
    try (ParleyServer server = ParleyServer.builder().module(Modules.counter()).build().start()) {
      assertThrows(IllegalStateException.class, server::start);
    }
  }
}
