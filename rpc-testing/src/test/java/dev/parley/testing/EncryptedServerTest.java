package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import dev.parley.client.EncryptionRequiredException;
import dev.parley.client.WrongSecureKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server whose module has a SecureKey the extension generated, and the clients that match it. */
class EncryptedServerTest {
  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder().module(Modules.counter()).encrypted().build();

  @Test
  void aClientFromTheServerCallsEncryptedWithTheServersKey() {
    ClientModule module = server.client(Modules.COUNTER);
    assertTrue(module.isEncrypting());
    assertEquals(3, new CounterClient(module).add(1, 2));
  }

  @Test
  void anInjectedClientModuleAndStubCallEncrypted(ClientModule module, CounterClient counter) {
    assertTrue(module.isEncrypting());
    assertEquals(1, counter.visits());
    assertTrue(module.sessionId().isPresent(), "the handshake gave the shared module its session");
  }

  @Test
  void aPlainClientIsRefusedWithEncryptionRequired() {
    try (ClientModule plain = ClientModule.builder(server.url(Modules.COUNTER)).build()) {
      assertThrows(EncryptionRequiredException.class, () -> new CounterClient(plain).add(1, 2));
    }
  }

  @Test
  void aClientWithAnotherKeyIsRefusedWithWrongSecureKey() {
    try (ClientModule wrong = ClientModule.builder(server.url(Modules.COUNTER))
        .secureKey(TestKey.random().secureKey()).build()) {
      assertThrows(WrongSecureKeyException.class, () -> new CounterClient(wrong).add(1, 2));
    }
  }

  @Test
  void theServersKeyCannotBeGivenTwiceToItsClient() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> server.client(Modules.COUNTER, b -> b.secureKey(TestKey.random().secureKey())));
    assertTrue(e.getMessage().contains("secureKey was already set"), e.getMessage());
  }

  @Test
  void aSecondServerEncryptedWithTheFirstsKeyServesTheFirstsClients() {
    try (ParleyServer replica = ParleyServer.builder().module(Modules.counter())
            .encrypted(server.secureKey()).build().start();
        ClientModule module = ClientModule.builder(replica.url(Modules.COUNTER)).secureKey(server.secureKey()).build()) {
      assertEquals(4, new CounterClient(module).add(2, 2));
    }
  }
}
