package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.client.ClientModule;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ticker alone, and as the session clock of a module. */
class ManualTickerTest {
  @Test
  void aNewTickerReadsZero() {
    assertEquals(0, new ManualTicker().read());
  }

  @Test
  void advancingMovesItForwardByTheDuration() {
    ManualTicker t = new ManualTicker();
    t.advance(Duration.ofSeconds(2));
    t.advance(Duration.ofMillis(5));
    assertEquals(2_005_000_000L, t.read());
  }

  @Test
  void aNegativeAdvanceIsRefused() {
    ManualTicker t = new ManualTicker();
    assertThrows(IllegalArgumentException.class, () -> t.advance(Duration.ofSeconds(-1)));
    assertEquals(0, t.read());
  }

  @Test
  void aModuleWithTheTickerExpiresSessionsOnlyWhenItIsAdvanced() {
    ManualTicker ticker = new ManualTicker();
    try (ParleyServer server = ParleyServer.builder()
        .module(Modules.counter().autoSessionsLive(Duration.ofMinutes(1)))
        .ticker(ticker)
        .build()
        .start()) {
      ClientModule module = server.client();
      CounterClient counter = new CounterClient(module);
      assertEquals(1, counter.visits());
      Optional<String> first = module.sessionId();
      ticker.advance(Duration.ofSeconds(59));
      assertEquals(2, counter.visits(), "a minute has not passed since the last call");
      ticker.advance(Duration.ofSeconds(59));
      assertEquals(3, counter.visits(), "the last call renewed the session");

      ticker.advance(Duration.ofMinutes(2));

      assertEquals(1, counter.visits(), "a new session");
      assertNotEquals(first, module.sessionId());
    }
  }
}
