package dev.parley.it.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import dev.parley.it.secure.RecordingListener;
import dev.parley.server.ServerModule;
import dev.parley.testing.ManualTicker;
import dev.parley.testing.ParleyServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * autoSessionsPing keeps an idle encrypted session alive past the server's autoSessionsLive. The
 * server's sessions expire by a {@link ManualTicker}; the client pings on its own timer, and the
 * test waits for its pings through the listener, never for time to pass.
 */
class KeepAlivePingTest {
  private final ManualTicker ticker = new ManualTicker();
  private final Semaphore pings = new Semaphore(0);
  private final RecordingListener listener = new RecordingListener() {
    @Override
    public void onPing(String sid) {
      pings.release();
    }
  };

  private ParleyServer server() {
    return ParleyServer.builder()
        .module(ServerModule.builder("/calc").functions(new AdderFunctions(new Adder.Impl()))
            .autoSessionsLive(Duration.ofMinutes(1)))
        .ticker(ticker)
        .encrypted()
        .build()
        .start();
  }

  /**
   * Moves the server's clock on by {@code step} and waits for two pings answered after that: the
   * first may have been sent before the step, the second was sent after the first was answered.
   */
  private void idleFor(Duration step) throws InterruptedException {
    ticker.advance(step);
    pings.drainPermits();
    assertTrue(pings.tryAcquire(2, 1, TimeUnit.MINUTES), "no pings");
  }

  @Test
  void anIdleSessionIsKeptAlivePastAutoSessionsLiveByPings() throws Exception {
    try (ParleyServer server = server();
        ClientModule module = server.client("/calc", b -> b.autoSessionsPing(Duration.ofMillis(5)).listener(listener))) {
      AdderClient calc = new AdderClient(module);
      assertEquals(3, calc.add(1, 2));
      String session = module.sessionId().orElseThrow();

      for (int i = 0; i < 3; i++) {
        idleFor(Duration.ofSeconds(40));   // 120 s without a call, twice autoSessionsLive
      }

      assertEquals(7, calc.add(3, 4));
      assertEquals(session, module.sessionId().orElseThrow(), "the same session");
      assertEquals(List.of("sessionOpen"), listener.events(), "no expiry, no new handshake, no repost");
    }
  }

  @Test
  void withoutPingsTheSameIdleTimeEndsTheSession() throws Exception {
    try (ParleyServer server = server();
        ClientModule module = server.client("/calc", b -> b.listener(listener))) {
      AdderClient calc = new AdderClient(module);
      assertEquals(3, calc.add(1, 2));
      String session = module.sessionId().orElseThrow();

      ticker.advance(Duration.ofSeconds(120));

      assertEquals(7, calc.add(3, 4));
      assertNotEquals(session, module.sessionId().orElseThrow(), "a new session");
      assertEquals(List.of("sessionOpen", "sessionExpired", "repost add", "sessionOpen"), listener.events());
    }
  }

  @Test
  void pingsAreRefusedAtBuildForAClientThatDoesNotEncrypt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("http://127.0.0.1:1/calc").autoSessionsPing(Duration.ofSeconds(30)).build());
    assertTrue(e.getMessage().startsWith("autoSessionsPing keeps an encrypted session alive"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("http://127.0.0.1:1/calc").autoSessionsPing(Duration.ofSeconds(-1)));
  }
}
