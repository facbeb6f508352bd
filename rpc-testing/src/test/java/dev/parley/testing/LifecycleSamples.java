package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Small test classes that use {@link ParleyServer}, run by {@link ParleyServerLifecycleTest}
 * through JUnit's TestKit and recording what they saw. Not run on their own: the build does not
 * pick them up (their names do not end in Test), and run from an IDE they are skipped.
 */
final class LifecycleSamples {
  /** The configuration parameter the lifecycle test sets when it runs a sample. */
  static final String RUN = "parley.testing.samples";

  private LifecycleSamples() {}

  /** Lets the samples run only when the lifecycle test runs them. */
  static final class RunByTheLifecycleTestOnly implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(RUN).isPresent()
          ? ConditionEvaluationResult.enabled("run by ParleyServerLifecycleTest")
          : ConditionEvaluationResult.disabled("a sample, run by ParleyServerLifecycleTest");
    }
  }

  /** Runs only for the lifecycle test, its tests in {@link Order} (both annotations are inherited). */
  @ExtendWith(RunByTheLifecycleTestOnly.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  abstract static class Sample {}

  static class StaticSample extends Sample {
    @RegisterExtension
    static final ParleyServer server = ParleyServer.builder().module(Modules.counter()).build();
    static final List<Integer> ports = new CopyOnWriteArrayList<>();

    @RepeatedTest(2)
    void findsItRunning() {
      assertTrue(server.isRunning());
      ports.add(server.port());
    }

    @Nested
    class Inner {
      @Test
      void findsItRunningToo(CounterClient counter) {
        assertEquals(3, counter.add(1, 2));
        ports.add(server.port());
      }
    }
  }

  static class InstanceSample extends Sample {
    static final List<ParleyServer> servers = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final ParleyServer server = ParleyServer.builder().module(Modules.counter()).build();

    @Test
    void first(CounterClient counter) {
      servers.add(server);
      assertEquals(1, counter.visits());
    }

    @Test
    void second(CounterClient counter) {
      servers.add(server);
      assertEquals(1, counter.visits());
    }
  }

  static class ClientsSample extends Sample {
    @RegisterExtension
    static final ParleyServer server = ParleyServer.builder().module(Modules.counter()).build();
    static ClientModule beforeAll;
    static final List<ClientModule> firstTests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() {
      beforeAll = server.client();
    }

    @Test
    @Order(1)
    void first(ClientModule injected) {
      firstTests.add(injected);
      firstTests.add(server.client());
      assertEquals(3, beforeAll.call("add", Map.of("a", 1, "b", 2), Integer.class));
    }

    @Test
    @Order(2)
    void second() {
      assertEquals(2, firstTests.size());
      firstTests.forEach(ParleyServerLifecycleTest::assertClosed);
      assertEquals(3, beforeAll.call("add", Map.of("a", 1, "b", 2), Integer.class));
    }
  }

  static class StoppingSample extends Sample {
    @RegisterExtension
    static final ParleyServer server = ParleyServer.builder().module(Modules.counter()).build();
    static int port;

    @Test
    @Order(1)
    void stops() {
      port = server.port();
      server.stop();
      assertFalse(server.isRunning());
    }

    @Test
    @Order(2)
    void findsItRunning(CounterClient counter) {
      assertTrue(server.isRunning());
      assertEquals(port, server.port());
      assertEquals(3, counter.add(1, 2));
    }
  }
}
