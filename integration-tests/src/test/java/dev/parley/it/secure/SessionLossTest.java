package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.CallOutcome;
import dev.parley.client.ClientModule;
import dev.parley.client.SessionLostException;
import dev.parley.it.secure.AttackProxy.Answer;
import dev.parley.it.secure.AttackProxy.Hop;
import dev.parley.it.secure.AttackProxy.Kind;
import dev.parley.it.secure.AttackProxy.Script;
import java.security.SecureRandom;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Losing the session between two calls (server restart, expiry) costs one transparent handshake
 * and never runs a call twice; a forged 410 cannot make a non-idempotent call run twice
 * (docs/PROTOCOL.md §13, the contract's autoRepost rules).
 */
class SessionLossTest {
  private static final String CALC = "/calc";

  private static ClientModule client(String url, RecordingListener listener) {
    return ClientModule.builder(url).encryptionKey(32).secureKey(Keys.a()).listener(listener).build();
  }

  private static long reposts(RecordingListener listener) {
    return listener.events().stream().filter(e -> e.startsWith("repost")).count();
  }

  @Test
  void aRestartTheClientCannotSeeLeavesANonIdempotentCallUnknownAndRunsNothingTwice() {
    CountingCalculator service = new CountingCalculator();
    RecordingListener listener = new RecordingListener();
    OkHttpClient http = new OkHttpClient();
    SecureServer first = SecureServer.builder()
        .module(CALC, service, b -> b.encryptionKey(32).secureKey(Keys.a()))
        .start();
    int port = first.port();
    try (ClientModule module = ClientModule.builder(first.url(CALC)).okHttpClient(http)
        .encryptionKey(32).secureKey(Keys.a()).listener(listener).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      first.close();
      // Drop the keep-alive connection to the old server: the client has no sign of the restart
      // (no closed connection, no failure, the session is not idle) and seals the call as usual.
      http.connectionPool().evictAll();

      try (SecureServer second = SecureServer.builder().port(port)
          .module(CALC, service, b -> b.encryptionKey(32).secureKey(Keys.a()))
          .start()) {
        // The restarted process is another server instance: it cannot know what the old one ran
        // (PROTOCOL.md §13.4), so its reject proves nothing and the call is not sent again.
        SessionLostException e = assertThrows(SessionLostException.class, () -> calc.add(3, 4));
        assertEquals(CallOutcome.UNKNOWN, e.outcome());
        assertEquals(1, service.invocations("add"), "nothing ran twice (here: it did not run at all)");

        assertEquals(7, calc.add(3, 4), "the next call runs a new handshake");
        assertEquals(9, calc.square(3), "an idempotent call");
        assertEquals(1, second.sessionsOpened(CALC), "one new handshake with the new server");
      }
    }
  }

  @Test
  void aNonIdempotentCallRightAfterAServerRestartSucceedsWithoutDroppingPooledConnections() {
    CountingCalculator service = new CountingCalculator();
    RecordingListener listener = new RecordingListener();
    SecureServer first = SecureServer.builder()
        .module(CALC, service, b -> b.encryptionKey(32).secureKey(Keys.a()))
        .start();
    int port = first.port();
    try (ClientModule module = client(first.url(CALC), listener)) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));  // leaves a keep-alive connection in the pool
      first.close();

      try (SecureServer second = SecureServer.builder().port(port)
          .module(CALC, service, b -> b.encryptionKey(32).secureKey(Keys.a()))
          .start()) {
        assertEquals(7, calc.add(3, 4));

        assertEquals(2, service.invocations("add"), "each call ran exactly once");
        assertEquals(1, second.sessionsOpened(CALC));
      }
    }
  }

  @Test
  void anIdempotentCallAfterAServerRestartSucceedsEvenOnTheDeadPooledConnection() {
    CountingCalculator service = new CountingCalculator();
    SecureServer first = SecureServer.builder()
        .module(CALC, service, b -> b.encryptionKey(32).secureKey(Keys.a()))
        .start();
    int port = first.port();
    try (ClientModule module = client(first.url(CALC), new RecordingListener())) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(9, calc.square(3));
      first.close();

      try (SecureServer second = SecureServer.builder().port(port)
          .module(CALC, service, b -> b.encryptionKey(32).secureKey(Keys.a()))
          .start()) {
        assertEquals(16, calc.square(4));

        assertEquals(2, service.invocations("square"));
        assertEquals(1, second.sessionsOpened(CALC));
      }
    }
  }

  @Test
  void anExpiredSessionIsReplacedTransparentlyAndTheCallRunsExactlyOnce() {
    FakeTicker ticker = new FakeTicker();
    RecordingListener listener = new RecordingListener();
    try (SecureServer server = SecureServer.builder()
            .module(CALC, b -> b.encryptionKey(32).secureKey(Keys.a())
                .autoSessionsLive(Duration.ofMinutes(1)).ticker(ticker))
            .start();
        ClientModule module = client(server.url(CALC), listener)) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      ticker.advance(Duration.ofSeconds(59));
      assertEquals(4, calc.add(2, 2)); // still alive: access renews it
      assertEquals(1, server.sessionsOpened(CALC));

      ticker.advance(Duration.ofMinutes(2));
      assertEquals(7, calc.add(3, 4));

      assertEquals(3, server.service(CALC).invocations("add"), "each call ran exactly once");
      assertEquals(2, server.sessionsOpened(CALC));
      assertEquals(1, reposts(listener), listener.events().toString());
      assertEquals(1, listener.count("sessionExpired"), listener.events().toString());
      assertEquals(2, listener.count("sessionOpen"), listener.events().toString());
    }
  }

  @Test
  void withAutoRepostOffAnExpiredSessionFailsTheCallWithSessionLostAndRunsNothing() {
    FakeTicker ticker = new FakeTicker();
    try (SecureServer server = SecureServer.builder()
            .module(CALC, b -> b.encryptionKey(32).secureKey(Keys.a())
                .autoSessionsLive(Duration.ofMinutes(1)).ticker(ticker))
            .start();
        ClientModule module = ClientModule.builder(server.url(CALC))
            .encryptionKey(32).secureKey(Keys.a()).autoRepost(false).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      ticker.advance(Duration.ofMinutes(2));

      assertThrows(SessionLostException.class, () -> calc.add(3, 4));

      assertEquals(1, server.service(CALC).invocations("add"));
      assertEquals(5, calc.add(4, 1), "the next call opens a new session");
      assertEquals(2, server.service(CALC).invocations("add"));
    }
  }

  @Test
  void aForged410DoesNotMakeANonIdempotentCallRunTwice() {
    try (SecureServer server = SecureServer.builder().module(CALC, b -> b.encryptionKey(32).secureKey(Keys.a())).start();
        AttackProxy proxy = new AttackProxy(server.base());
        ClientModule module = client(proxy.url(CALC), new RecordingListener())) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      // The request reaches the server and runs; the client is told "410" with a forged reject.
      proxy.next(Kind.SEALED, forged410AfterForwarding());

      SessionLostException e = assertThrows(SessionLostException.class, () -> calc.add(5, 6));

      assertEquals(2, server.service(CALC).invocations("add"), "the call ran once and was not re-sent: " + e);
      assertEquals(11, calc.add(5, 6), "the next call succeeds on a new session");
      assertEquals(3, server.service(CALC).invocations("add"));
    }
  }

  @Test
  void aForged410InsteadOfForwardingLeavesANonIdempotentCallNotRun() {
    try (SecureServer server = SecureServer.builder().module(CALC, b -> b.encryptionKey(32).secureKey(Keys.a())).start();
        AttackProxy proxy = new AttackProxy(server.base());
        ClientModule module = client(proxy.url(CALC), new RecordingListener())) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      proxy.next(Kind.SEALED, AttackProxy.answer(410, AttackProxy.REJECT, garbage()));

      assertThrows(SessionLostException.class, () -> calc.add(5, 6));

      assertEquals(1, server.service(CALC).invocations("add"));
      assertEquals(2, proxy.count(Kind.SEALED), "warm-up and the forged one; not re-sent");
    }
  }

  @Test
  void aForged410MakesAnIdempotentCallBeSentOnceMoreAfterANewHandshake() {
    try (SecureServer server = SecureServer.builder().module(CALC, b -> b.encryptionKey(32).secureKey(Keys.a())).start();
        AttackProxy proxy = new AttackProxy(server.base());
        ClientModule module = client(proxy.url(CALC), new RecordingListener())) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      proxy.next(Kind.SEALED, forged410AfterForwarding());

      assertEquals(49, calc.square(7));

      assertEquals(3, proxy.count(Kind.SEALED), "warm-up, the forged one, one re-send");
      assertEquals(2, proxy.count(Kind.MSG1), "one new handshake");
      assertEquals(2, server.service(CALC).invocations("square"), "idempotent: ran at most twice");
    }
  }

  @Test
  void aSecond410AfterTheResendEndsTheCallInsteadOfLooping() {
    try (SecureServer server = SecureServer.builder().module(CALC, b -> b.encryptionKey(32).secureKey(Keys.a())).start();
        AttackProxy proxy = new AttackProxy(server.base());
        ClientModule module = client(proxy.url(CALC), new RecordingListener())) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      proxy.nextEach(Kind.SEALED, 5, AttackProxy.answer(410, AttackProxy.REJECT, garbage()));

      assertThrows(SessionLostException.class, () -> calc.square(7));

      assertEquals(3, proxy.count(Kind.SEALED), "warm-up, first try, one re-send; no more");
      assertEquals(0, server.service(CALC).invocations("square"));
    }
  }

  @Test
  void aRecordedGenuine410CannotBeReplayedAsTheAnswerToAnotherCall() {
    FakeTicker ticker = new FakeTicker();
    try (SecureServer server = SecureServer.builder()
            .module(CALC, b -> b.encryptionKey(32).secureKey(Keys.a())
                .autoSessionsLive(Duration.ofMinutes(1)).ticker(ticker))
            .start();
        AttackProxy proxy = new AttackProxy(server.base());
        ClientModule module = client(proxy.url(CALC), new RecordingListener())) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      ticker.advance(Duration.ofMinutes(2));
      assertEquals(7, calc.add(3, 4));  // a genuine 410, then the repost
      Answer genuine = proxy.exchanges(Kind.SEALED).get(1).answer();
      assertEquals(410, genuine.status());
      // The recorded reject names another sid, counter and request tag: it proves nothing here.
      proxy.next(Kind.SEALED, new Script() {
        @Override
        public Answer afterForward(Hop hop, Answer answer) {
          return genuine;
        }
      });

      assertThrows(SessionLostException.class, () -> calc.add(5, 6));

      assertEquals(3, server.service(CALC).invocations("add"), "ran once, not re-sent");
    }
  }

  @Test
  void withoutASecureKeyEvery410IsUnverifiedSoOnlyIdempotentCallsAreReSentAfterExpiry() {
    // PROTOCOL.md §13: in the unauthenticated mode the reject key is public; a 410 proves nothing.
    FakeTicker ticker = new FakeTicker();
    try (SecureServer server = SecureServer.builder()
            .module(CALC, b -> b.encryptionKey(32).allowUnauthenticated(true)
                .autoSessionsLive(Duration.ofMinutes(1)).ticker(ticker))
            .start();
        ClientModule module = ClientModule.builder(server.url(CALC))
            .encryptionKey(32).allowUnauthenticated(true).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      ticker.advance(Duration.ofMinutes(2));

      assertThrows(SessionLostException.class, () -> calc.add(3, 4));
      assertEquals(1, server.service(CALC).invocations("add"));

      assertEquals(4, calc.add(2, 2), "the next call runs on a new session");
      ticker.advance(Duration.ofMinutes(2));
      assertEquals(25, calc.square(5), "an idempotent call is re-sent after the re-handshake");
      assertEquals(1, server.service(CALC).invocations("square"));
    }
  }

  private static Script forged410AfterForwarding() {
    return new Script() {
      @Override
      public Answer afterForward(Hop hop, Answer answer) {
        return new Answer(410, AttackProxy.REJECT, garbage());
      }
    };
  }

  /** A reject-shaped body (26 + 32 bytes) of random bytes: no valid MAC. */
  private static byte[] garbage() {
    byte[] body = new byte[58];
    new SecureRandom().nextBytes(body);
    body[0] = 0x07;
    body[25] = 1;
    return body;
  }
}
