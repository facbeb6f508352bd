package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A plain server with one module, shared by the tests of the class. */
class ParleyServerTest {
  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder().module(Modules.counter()).build();

  /** A hand-written client: injected through its ClientModule constructor. */
  static final class HandwrittenClient {
    final ClientModule module;

    HandwrittenClient(ClientModule module) {
      this.module = module;
    }
  }

  @Test
  void anInjectedStubCallsTheServedModule(CounterClient counter) {
    assertEquals(3, counter.add(1, 2));
  }

  @Test
  void anInjectedClientModuleCallsTheServedModule(ClientModule module) {
    assertEquals(5, module.call("add", Map.of("a", 2, "b", 3), Integer.class));
  }

  @Test
  void aStubAndAClientModuleInjectedIntoOneTestShareOneSession(CounterClient counter, ClientModule module) {
    assertEquals(1, counter.visits());
    assertEquals(2, module.call("visits", null, Integer.class));
  }

  @Test
  void aClassWithAClientModuleConstructorIsInjectedWithAClientOfTheModule(HandwrittenClient client) {
    assertEquals(7, client.module.call("add", Map.of("a", 3, "b", 4), Integer.class));
  }

  @Test
  void aClientFromTheServerCallsItsOnlyModule() {
    assertEquals(9, new CounterClient(server.client()).add(4, 5));
  }

  @Test
  void aClientOfAPlainServerIsPlain() {
    assertFalse(server.client(Modules.COUNTER).isEncrypting());
  }

  @Test
  void urlIsThePathOnTheLoopbackAddressAndTheBoundPort() {
    assertTrue(server.port() > 0);
    assertEquals("http://127.0.0.1:" + server.port() + "/counter", server.url(Modules.COUNTER));
    assertEquals(server.url(""), server.uri().toString());
  }

  @Test
  void aClientForAPathTheServerDoesNotServeIsRefusedNamingTheServedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.client("/count"));
    assertTrue(e.getMessage().contains("/counter"), e.getMessage());
  }

  @Test
  void theSecureKeyOfAPlainServerIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, server::secureKey);
    assertTrue(e.getMessage().contains("encrypted()"), e.getMessage());
  }

  @Test
  void theServerRunsWhileTheTestsRun() {
    assertTrue(server.isRunning());
  }
}
