package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.crypto.SecureKey;
import dev.parley.it.secure.AttackProxy.Exchange;
import dev.parley.it.secure.AttackProxy.Kind;
import dev.parley.testing.ManualTicker;
import dev.parley.testing.ParleyServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key rotation (docs/PROTOCOL.md §3.3): a server module holding the old key (id 0) and the new
 * one (id 1) serves clients of either, and its 410 reject carries a MAC under each, so both kinds
 * of client re-handshake and repost transparently after expiry.
 */
class RotationTest {
  private static final String CALC = "/calc";

  private final ManualTicker ticker = new ManualTicker();
  private final Calculators calculators = new Calculators();

  @RegisterExtension
  final ParleyServer server = ParleyServer.builder()
      .module(calculators.module(CALC).encryptionKey(32).secureKeys(Keys.a(), Keys.b().withKeyId(1))
          .autoSessionsLive(Duration.ofMinutes(1)))
      .ticker(ticker)
      .build();

  private AttackProxy proxy;

  @BeforeEach
  void start() {
    proxy = new AttackProxy(server.uri().toString());
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  private ClientModule client(SecureKey key) {
    return ClientModule.builder(proxy.url(CALC)).encryptionKey(32).secureKey(key).build();
  }

  @Test
  void clientsOfTheOldAndTheNewKeyBothWorkAndSurviveExpiry() {
    try (ClientModule old = client(Keys.a());
        ClientModule next = client(Keys.b().withKeyId(1))) {
      CalculatorClient oldCalc = new CalculatorClient(old);
      CalculatorClient nextCalc = new CalculatorClient(next);
      assertEquals(3, oldCalc.add(1, 2));
      assertEquals(4, nextCalc.add(2, 2));
      ticker.advance(Duration.ofMinutes(2));

      assertEquals(5, oldCalc.add(2, 3));
      assertEquals(6, nextCalc.add(3, 3));

      assertEquals(4, calculators.service(CALC).invocations("add"), "each call ran exactly once");
      assertEquals(4, calculators.sessionsOpened(CALC));
      long rejects = 0;
      for (Exchange x : proxy.exchanges(Kind.SEALED)) {
        if (x.status() == 410) {
          rejects++;
          assertEquals(73, x.answer().body().length, "one MAC, by the session's own instance, whatever the SecureKey");
        }
      }
      assertEquals(2, rejects);
    }
  }

  @Test
  void theNewKeyUnderTheOldKeyIdIsRefused() {
    try (ClientModule wrongId = client(Keys.b())) {
      assertThrows(WrongSecureKeyException.class, () -> new CalculatorClient(wrongId).add(1, 2));
      assertEquals(0, calculators.service(CALC).totalInvocations());
    }
  }
}
