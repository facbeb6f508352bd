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
import dev.parley.server.ServerModule;
import dev.parley.testing.ManualTicker;
import dev.parley.testing.ParleyServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Losing the session between two calls (server restart, expiry) costs one transparent handshake
 * and never runs a call twice; a forged 410 cannot make a non-idempotent call run twice
 * (docs/PROTOCOL.md §13, the contract's autoRepost rules).
 */
class SessionLossTest {
  private static final String CALC = "/calc";

  private final Calculators calculators = new Calculators();

  /** A started server with one module at {@link #CALC}, with the test's settings. */
  private ParleyServer serve(UnaryOperator<ServerModule.Builder> settings) {
    return ParleyServer.builder().module(settings.apply(calculators.module(CALC))).build().start();
  }

  /** The same, its sessions expiring by {@code ticker}. */
  private ParleyServer serve(ManualTicker ticker, UnaryOperator<ServerModule.Builder> settings) {
    return ParleyServer.builder().module(settings.apply(calculators.module(CALC))).ticker(ticker).build().start();
  }

  /** Encrypted with {@link Keys#a()}; its sessions live one minute by {@code ticker}. */
  private ParleyServer serveSessionsOfOneMinute(ManualTicker ticker) {
    return serve(ticker, b -> b.encryptionKey(32).secureKey(Keys.a()).autoSessionsLive(Duration.ofMinutes(1)));
  }

  private static ClientModule client(String url, RecordingListener listener) {
    return ClientModule.builder(url).encryptionKey(32).secureKey(Keys.a()).listener(listener).build();
  }

  private static long reposts(RecordingListener listener) {
    return listener.events().stream().filter(e -> e.startsWith("repost")).count();
  }

  @Test
  void aRestartTheClientCannotSeeLeavesANonIdempotentCallUnknownAndRunsNothingTwice() {
    RecordingListener listener = new RecordingListener();
    OkHttpClient http = new OkHttpClient();
    try (ParleyServer server = serve(b -> b.encryptionKey(32).secureKey(Keys.a()));
        ClientModule module = ClientModule.builder(server.url(CALC)).okHttpClient(http)
            .encryptionKey(32).secureKey(Keys.a()).listener(listener).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      server.stop();
      // Drop the keep-alive connection to the old server: the client has no sign of the restart
      // (no closed connection, no failure, the session is not idle) and seals the call as usual.
      http.connectionPool().evictAll();
      int opened = calculators.sessionsOpened(CALC);

      server.start();   // on the same port: a new server instance serving the same calculator
      // The restarted process is another server instance: it cannot know what the old one ran
      // (PROTOCOL.md §13.4), so its reject proves nothing and the call is not sent again.
      SessionLostException e = assertThrows(SessionLostException.class, () -> calc.add(3, 4));
      assertEquals(CallOutcome.UNKNOWN, e.outcome());
      assertEquals(1, calculators.service(CALC).invocations("add"), "nothing ran twice (here: it did not run at all)");

      assertEquals(7, calc.add(3, 4), "the next call runs a new handshake");
      assertEquals(9, calc.square(3), "an idempotent call");
      assertEquals(1, calculators.sessionsOpened(CALC) - opened, "one new handshake with the new server");
    }
  }

  @Test
  void aNonIdempotentCallRightAfterAServerRestartSucceedsWithoutDroppingPooledConnections() {
    RecordingListener listener = new RecordingListener();
    try (ParleyServer server = serve(b -> b.encryptionKey(32).secureKey(Keys.a()));
        ClientModule module = client(server.url(CALC), listener)) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));  // leaves a keep-alive connection in the pool
      server.stop();
      int opened = calculators.sessionsOpened(CALC);

      server.start();
      assertEquals(7, calc.add(3, 4));

      assertEquals(2, calculators.service(CALC).invocations("add"), "each call ran exactly once");
      assertEquals(1, calculators.sessionsOpened(CALC) - opened);
    }
  }

  @Test
  void anIdempotentCallAfterAServerRestartSucceedsEvenOnTheDeadPooledConnection() {
    try (ParleyServer server = serve(b -> b.encryptionKey(32).secureKey(Keys.a()));
        ClientModule module = client(server.url(CALC), new RecordingListener())) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(9, calc.square(3));
      server.stop();
      int opened = calculators.sessionsOpened(CALC);

      server.start();
      assertEquals(16, calc.square(4));

      assertEquals(2, calculators.service(CALC).invocations("square"));
      assertEquals(1, calculators.sessionsOpened(CALC) - opened);
    }
  }

  @Test
  void anExpiredSessionIsReplacedTransparentlyAndTheCallRunsExactlyOnce() {
    ManualTicker ticker = new ManualTicker();
    RecordingListener listener = new RecordingListener();
    try (ParleyServer server = serveSessionsOfOneMinute(ticker);
        ClientModule module = client(server.url(CALC), listener)) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
      ticker.advance(Duration.ofSeconds(59));
      assertEquals(4, calc.add(2, 2)); // still alive: access renews it
      assertEquals(1, calculators.sessionsOpened(CALC));

      ticker.advance(Duration.ofMinutes(2));
      assertEquals(7, calc.add(3, 4));

      assertEquals(3, calculators.service(CALC).invocations("add"), "each call ran exactly once");
      assertEquals(2, calculators.sessionsOpened(CALC));
      assertEquals(1, reposts(listener), listener.events().toString());
      assertEquals(1, listener.count("sessionExpired"), listener.events().toString());
      assertEquals(2, listener.count("sessionOpen"), listener.events().toString());
    }
  }

  /**
   * {@code add(1, 2)} opens a session; once that has expired, {@code add(3, 4)} fails with
   * {@link SessionLostException} and runs nothing.
   */
  private void assertACallAfterExpiryIsLost(CalculatorClient calc, ManualTicker ticker) {
    assertEquals(3, calc.add(1, 2));
    ticker.advance(Duration.ofMinutes(2));
    assertThrows(SessionLostException.class, () -> calc.add(3, 4));
    assertEquals(1, calculators.service(CALC).invocations("add"));
  }

  @Test
  void withAutoRepostOffAnExpiredSessionFailsTheCallWithSessionLostAndRunsNothing() {
    ManualTicker ticker = new ManualTicker();
    try (ParleyServer server = serveSessionsOfOneMinute(ticker);
        ClientModule module = ClientModule.builder(server.url(CALC))
            .encryptionKey(32).secureKey(Keys.a()).autoRepost(false).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertACallAfterExpiryIsLost(calc, ticker);
      assertEquals(5, calc.add(4, 1), "the next call opens a new session");
      assertEquals(2, calculators.service(CALC).invocations("add"));
    }
  }

  /**
   * A proxy between an honest client and server forges 410 rejects; an honest call opened the
   * session before each test.
   */
  @Nested
  class Forged410 {
    @RegisterExtension
    final ParleyServer server = ParleyServer.builder()
        .module(calculators.module(CALC).encryptionKey(32).secureKey(Keys.a()))
        .build();

    private AttackProxy proxy;
    private ClientModule module;
    private CalculatorClient calc;

    @BeforeEach
    void openTheSession() {
      proxy = new AttackProxy(server.uri().toString());
      module = client(proxy.url(CALC), new RecordingListener());
      calc = new CalculatorClient(module);
      assertEquals(3, calc.add(1, 2));
    }

    @AfterEach
    void close() {
      module.close();
      proxy.close();
    }

    @Test
    void aForged410DoesNotMakeANonIdempotentCallRunTwice() {
      // The request reaches the server and runs; the client is told "410" with a forged reject.
      proxy.next(Kind.SEALED, forged410AfterForwarding());

      SessionLostException e = assertThrows(SessionLostException.class, () -> calc.add(5, 6));

      assertEquals(2, calculators.service(CALC).invocations("add"), "the call ran once and was not re-sent: " + e);
      assertEquals(11, calc.add(5, 6), "the next call succeeds on a new session");
      assertEquals(3, calculators.service(CALC).invocations("add"));
    }

    @Test
    void aForged410InsteadOfForwardingLeavesANonIdempotentCallNotRun() {
      proxy.next(Kind.SEALED, AttackProxy.answer(410, AttackProxy.REJECT, garbage()));

      assertThrows(SessionLostException.class, () -> calc.add(5, 6));

      assertEquals(1, calculators.service(CALC).invocations("add"));
      assertEquals(2, proxy.count(Kind.SEALED), "warm-up and the forged one; not re-sent");
    }

    @Test
    void aForged410MakesAnIdempotentCallBeSentOnceMoreAfterANewHandshake() {
      proxy.next(Kind.SEALED, forged410AfterForwarding());

      assertEquals(49, calc.square(7));

      assertEquals(3, proxy.count(Kind.SEALED), "warm-up, the forged one, one re-send");
      assertEquals(2, proxy.count(Kind.MSG1), "one new handshake");
      assertEquals(2, calculators.service(CALC).invocations("square"), "idempotent: ran at most twice");
    }

    @Test
    void aSecond410AfterTheResendEndsTheCallInsteadOfLooping() {
      proxy.nextEach(Kind.SEALED, 5, AttackProxy.answer(410, AttackProxy.REJECT, garbage()));

      assertThrows(SessionLostException.class, () -> calc.square(7));

      assertEquals(3, proxy.count(Kind.SEALED), "warm-up, first try, one re-send; no more");
      assertEquals(0, calculators.service(CALC).invocations("square"));
    }
  }

  @Test
  void aRecordedGenuine410CannotBeReplayedAsTheAnswerToAnotherCall() {
    ManualTicker ticker = new ManualTicker();
    try (ParleyServer server = serveSessionsOfOneMinute(ticker);
        AttackProxy proxy = new AttackProxy(server.uri().toString());
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

      assertEquals(3, calculators.service(CALC).invocations("add"), "ran once, not re-sent");
    }
  }

  @Test
  void withoutASecureKeyEvery410IsUnverifiedSoOnlyIdempotentCallsAreReSentAfterExpiry() {
    // PROTOCOL.md §13: in the unauthenticated mode the reject key is public; a 410 proves nothing.
    ManualTicker ticker = new ManualTicker();
    try (ParleyServer server = serve(ticker, b -> b.encryptionKey(32).allowUnauthenticated(true)
            .autoSessionsLive(Duration.ofMinutes(1)));
        ClientModule module = ClientModule.builder(server.url(CALC))
            .encryptionKey(32).allowUnauthenticated(true).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertACallAfterExpiryIsLost(calc, ticker);

      assertEquals(4, calc.add(2, 2), "the next call runs on a new session");
      ticker.advance(Duration.ofMinutes(2));
      assertEquals(25, calc.square(5), "an idempotent call is re-sent after the re-handshake");
      assertEquals(1, calculators.service(CALC).invocations("square"));
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
