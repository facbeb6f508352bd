package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server with two modules: injected parameters name theirs with {@link ModulePath}. */
class ManyModulesTest {
  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder().module(Modules.counter()).module(Modules.echo()).build();

  @Test
  void injectedStubsCallTheModulesTheirPathsName(@ModulePath("/counter") CounterClient counter,
      @ModulePath("/echo") EchoClient echo) {
    assertEquals(3, counter.add(1, 2));
    assertEquals("hi", echo.echo("hi"));
  }

  @Test
  void anInjectedClientModuleCallsTheModuleItsPathNames(@ModulePath("/echo") ClientModule module) {
    assertEquals("hello", module.call("echo", List.of("hello"), String.class));
  }

  @Test
  void aClientWithoutAPathIsRefusedNamingThePaths() {
    IllegalStateException e = assertThrows(IllegalStateException.class, server::client);
    assertTrue(e.getMessage().contains("/counter") && e.getMessage().contains("/echo"), e.getMessage());
  }

  @Test
  void clientsForEachPathCallTheirModule() {
    ClientModule counter = server.client(Modules.COUNTER);
    ClientModule echo = server.client(Modules.ECHO);
    assertEquals(5, new CounterClient(counter).add(2, 3));
    assertEquals("x", new EchoClient(echo).echo("x"));
  }
}
