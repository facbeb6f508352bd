package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.TransportException;
import dev.parley.client.ClientModule;
import dev.parley.client.SessionLostException;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.it.secure.AttackProxy.Answer;
import dev.parley.it.secure.AttackProxy.Capture;
import dev.parley.it.secure.AttackProxy.Exchange;
import dev.parley.it.secure.AttackProxy.Hop;
import dev.parley.it.secure.AttackProxy.Kind;
import dev.parley.it.secure.AttackProxy.Reverse;
import dev.parley.it.secure.AttackProxy.Script;
import dev.parley.it.secure.AttackProxy.SwapAnswers;
import dev.parley.testing.ParleyServer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An active man in the middle between an honest encrypted client and server (docs/PROTOCOL.md
 * §9–§13 and the HTTP binding): every change to a request or an answer is rejected, no function
 * runs from a forged request or twice, and the honest client's next call succeeds.
 */
class AttackTest {
  private static final String CALC = "/calc";
  private static final String OTHER = "/other";         // same SecureKey, another module
  private static final String ELSEWHERE = "/elsewhere"; // another SecureKey

  private final Calculators calculators = new Calculators();

  @RegisterExtension
  final ParleyServer server = ParleyServer.builder()
      .module(calculators.module(CALC).encryptionKey(32).secureKey(Keys.a()))
      .module(calculators.module(OTHER).encryptionKey(32).secureKey(Keys.a()))
      .module(calculators.module(ELSEWHERE).encryptionKey(32).secureKey(Keys.b()))
      .build();

  private AttackProxy proxy;
  private RecordingListener listener;
  private ClientModule module;
  private CalculatorClient calc;
  private ExecutorService pool;

  @BeforeEach
  void start() {
    proxy = new AttackProxy(server.uri().toString());
    listener = new RecordingListener();
    module = client();
    calc = new CalculatorClient(module);
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
    module.close();
    proxy.close();
    assertEquals(List.of(), proxy.failures(), "the proxy itself failed");
  }

  private ClientModule client() {
    return ClientModule.builder(proxy.url(CALC)).encryptionKey(32).secureKey(Keys.a()).listener(listener).build();
  }

  private int adds() {
    return calculators.service(CALC).invocations("add");
  }

  /** Opens the session with one honest call, so the next sealed request is the attacked one. */
  private void warmUp() {
    assertEquals(3, calc.add(1, 2));
    assertEquals(1, adds());
  }

  /** The request of {@code kind} that the warm-up call sends, captured on its way. */
  private Exchange capturedInWarmUp(Kind kind) throws InterruptedException {
    Capture capture = new Capture();
    proxy.next(kind, capture);
    warmUp();
    return capture.request();
  }

  /** After the warm-up call, the sealed request of {@code add(5, 6)}, captured on its way: it ran. */
  private Exchange capturedSealedAdd() throws InterruptedException {
    warmUp();
    Capture capture = new Capture();
    proxy.next(Kind.SEALED, capture);
    assertEquals(11, calc.add(5, 6));
    return capture.request();
  }

  private void honestCallStillWorks(int addsBefore) {
    assertEquals(42, calc.add(40, 2));
    assertEquals(addsBefore + 1, adds());
  }

  private static String text(Exchange exchange) {
    return exchange.answer().text().trim();
  }

  // ---------------------------------------------------------------- tampered bytes

  @ParameterizedTest(name = "request frame byte {0}")
  @ValueSource(ints = {0, 2, 10, 25, 29, 40, -1})
  void aFlippedRequestByteIsRejectedWith400AndNothingRuns(int index) {
    warmUp();
    proxy.next(Kind.SEALED, AttackProxy.flipRequestByte(index));

    TransportException e = assertThrows(TransportException.class, () -> calc.add(5, 6));

    Exchange attacked = proxy.last(Kind.SEALED);
    assertEquals(400, attacked.status(), attacked.toString());
    assertEquals("frame rejected", text(attacked));
    assertEquals(400, e.httpStatus());
    assertEquals(1, adds(), "the tampered request ran");
    honestCallStillWorks(1);
    assertEquals(1, calculators.sessionsOpened(CALC), "the session lives on after a 400");
  }

  @Test
  void aFlippedByteInTheSecondChunkOfALargeRequestIsRejectedAndNothingRuns() {
    warmUp();
    String big = "z".repeat(100_000);  // two chunks (PROTOCOL.md §10.2)
    proxy.next(Kind.SEALED, AttackProxy.flipRequestByte(29 + 65_552 + 7));

    assertThrows(TransportException.class, () -> calc.echo(big));

    assertEquals(400, proxy.last(Kind.SEALED).status());
    assertEquals(0, calculators.service(CALC).invocations("echo"));
    assertEquals(big, calc.echo(big));
    assertEquals(1, calculators.service(CALC).invocations("echo"));
  }

  @Test
  void aChunkDroppedFromALargeRequestIsRejectedAndNothingRuns() {
    warmUp();
    String big = "y".repeat(140_000);  // three chunks
    proxy.next(Kind.SEALED, new Script() {
      @Override
      public Answer beforeForward(Hop hop) {
        byte[] cut = new byte[hop.body.length - 65_552];
        System.arraycopy(hop.body, 0, cut, 0, 29 + 65_552);
        System.arraycopy(hop.body, 29 + 2 * 65_552, cut, 29 + 65_552, hop.body.length - 29 - 2 * 65_552);
        hop.body = cut;
        return null;
      }
    });

    assertThrows(TransportException.class, () -> calc.echo(big));

    assertEquals(400, proxy.last(Kind.SEALED).status());
    assertEquals(0, calculators.service(CALC).invocations("echo"));
    honestCallStillWorks(1);
  }

  @Test
  void aTruncatedRequestFrameIsRejectedWith400AndNothingRuns() {
    warmUp();
    proxy.next(Kind.SEALED, new Script() {
      @Override
      public Answer beforeForward(Hop hop) {
        hop.body = Arrays.copyOf(hop.body, hop.body.length - 1);
        return null;
      }
    });

    assertThrows(TransportException.class, () -> calc.add(5, 6));

    assertEquals(400, proxy.last(Kind.SEALED).status());
    assertEquals(1, adds());
    honestCallStillWorks(1);
  }

  @Test
  void aFlippedAnswerByteIsDetectedByTheClientAndTheFunctionRanOnce() {
    warmUp();
    proxy.next(Kind.SEALED, AttackProxy.flipAnswerByte(-1));

    assertThrows(TransportException.class, () -> calc.add(5, 6));

    assertEquals(2, adds(), "the genuine request ran exactly once and was not re-sent");
    honestCallStillWorks(2);
  }

  /** A script that forwards the request and hands the client {@code change} of the real answer. */
  private static Script changedAnswer(java.util.function.UnaryOperator<Answer> change) {
    return new Script() {
      @Override
      public Answer afterForward(Hop hop, Answer answer) {
        return change.apply(answer);
      }
    };
  }

  @Test
  void aSealedAnswerRelabelledAsJsonIsRefusedByTheClientAndTheFunctionRanOnce() {
    warmUp();
    proxy.next(Kind.SEALED, changedAnswer(
        answer -> new Answer(answer.status(), AttackProxy.JSON, answer.headers(), answer.body())));

    TransportException e = assertThrows(TransportException.class, () -> calc.add(5, 6));

    assertTrue(e.getMessage().contains("instead of application/vnd.parley.sealed"), e.getMessage());
    assertEquals(2, adds(), "the genuine request ran exactly once and was not re-sent");
    honestCallStillWorks(2);
  }

  @Test
  void anAnswerWithAChangedStatusIsDetectedByTheClient() {
    warmUp();
    proxy.next(Kind.SEALED, changedAnswer(
        answer -> new Answer(203, answer.contentType(), answer.headers(), answer.body())));

    assertThrows(TransportException.class, () -> calc.add(5, 6));

    assertEquals(2, adds());
    honestCallStillWorks(2);
  }

  // ---------------------------------------------------------------- headers, path, content type

  @Test
  void aSessionHeaderNamingAnotherLiveSessionIsRejectedWith400() {
    warmUp();
    try (ClientModule other = client()) {
      assertEquals(4, new CalculatorClient(other).add(2, 2));
    }
    String otherSid = sessionHeader(proxy.exchanges(Kind.MSG3).get(1));
    assertNotEquals(sessionHeader(proxy.exchanges(Kind.MSG3).get(0)), otherSid);
    proxy.next(Kind.SEALED, AttackProxy.setHeader(AttackProxy.SESSION_HEADER, otherSid));

    TransportException e = assertThrows(TransportException.class, () -> calc.add(5, 6));

    assertEquals(400, e.httpStatus());
    assertEquals("frame rejected", text(proxy.last(Kind.SEALED)));
    assertEquals(2, adds(), "only the two honest calls ran");
    honestCallStillWorks(2);
  }

  @Test
  void anUnknownSessionHeaderGets400AndNoRejectAndTheSessionLivesOn() {
    warmUp();
    byte[] sid = new byte[16];
    new SecureRandom().nextBytes(sid);
    proxy.next(Kind.SEALED, AttackProxy.setHeader(AttackProxy.SESSION_HEADER,
        Base64.getUrlEncoder().withoutPadding().encodeToString(sid)));

    // PROTOCOL.md §15.6: the session is found by the frame's sid; a header that differs is a 400, never
    // a reject (which could make the client send the call again while the attacker holds the original).
    TransportException e = assertThrows(TransportException.class, () -> calc.add(5, 6));

    assertEquals(400, e.httpStatus());
    assertEquals(CallOutcome.UNKNOWN, e.outcome(), "no key authenticates a 400");
    assertEquals(1, proxy.count(Kind.MSG1), "no new handshake");
    assertEquals(1, adds(), "the call did not run");
    honestCallStillWorks(1);
  }

  @Test
  void aFirstHandshakeMessageSentToAnotherRouteIsRejectedBecauseTheRouteIsBound() {
    // /other has the same SecureKey, but the route is in the prologue (PROTOCOL.md §5).
    proxy.next(Kind.MSG1, AttackProxy.setPath(OTHER));

    assertThrows(WrongSecureKeyException.class, () -> calc.add(1, 2));

    assertEquals(403, proxy.last(Kind.MSG1).status());
    assertEquals("handshake rejected", text(proxy.last(Kind.MSG1)));
    assertEquals(0, calculators.sessionsOpened(OTHER));
    assertEquals(0, calculators.service(OTHER).totalInvocations());
    assertEquals(0, adds());
    honestCallStillWorks(0);
  }

  @Test
  void aSealedCallMovedToAModuleWithTheSameKeyRunsNowhereAndItsRejectProvesNothing() {
    // /other is another server instance: its reject cannot say whether /calc ran the call (§13.4),
    // so a non-idempotent call is not sent again.
    SessionLostException e = assertASealedCallMovedToRunsNowhere(OTHER);
    assertEquals(CallOutcome.UNKNOWN, e.outcome());
  }

  @Test
  void aSealedCallMovedToAModuleWithAnotherKeyGetsAnUnverifiable410AndIsNotReSent() {
    // The reject is MACed under another SecureKey: the client cannot know the call did not run,
    // so a non-idempotent call is not re-sent.
    assertASealedCallMovedToRunsNowhere(ELSEWHERE);
  }

  /**
   * After the warm-up, the sealed request of {@code add(5, 6)} is moved to the module at
   * {@code path}: the client gets a 410 and {@link SessionLostException}, the call runs nowhere
   * and is not sent again, and an honest call still works.
   */
  private SessionLostException assertASealedCallMovedToRunsNowhere(String path) {
    warmUp();
    proxy.next(Kind.SEALED, AttackProxy.setPath(path));
    SessionLostException e = assertThrows(SessionLostException.class, () -> calc.add(5, 6));
    assertEquals(410, proxy.exchanges(Kind.SEALED).get(1).status());
    assertEquals(0, calculators.service(path).totalInvocations(), "ran in the wrong module");
    assertEquals(1, adds());
    honestCallStillWorks(1);
    return e;
  }

  @Test
  void aSealedBodyRelabelledAsPlainJsonIsRefusedWith412AndNothingRuns() {
    warmUp();
    proxy.next(Kind.SEALED, AttackProxy.setHeader("Content-Type", AttackProxy.JSON));

    TransportException e = assertThrows(TransportException.class, () -> calc.add(5, 6));

    assertEquals(412, e.httpStatus());
    assertEquals("encryption required", text(proxy.last(Kind.SEALED)));
    assertEquals(1, adds());
    honestCallStillWorks(1);
  }

  @Test
  void aSealedBodyRelabelledAsAHandshakeIsRefusedWith403AndNothingRuns() {
    warmUp();
    proxy.next(Kind.SEALED, AttackProxy.setHeader("Content-Type", AttackProxy.HANDSHAKE));

    assertThrows(TransportException.class, () -> calc.add(5, 6));

    Exchange relabelled = proxy.exchanges().stream()
        .filter(x -> x.kind() == Kind.SEALED && AttackProxy.HANDSHAKE.equals(x.contentType()))
        .findFirst().orElseThrow();
    assertEquals(403, relabelled.status());
    assertEquals("handshake rejected", text(relabelled));
    assertEquals(1, adds());
    honestCallStillWorks(1);
  }

  // ---------------------------------------------------------------- handshake

  @ParameterizedTest(name = "msg1 byte {0}")
  @ValueSource(ints = {0, 2, 3, 5, 10, -1})
  void aFlippedFirstHandshakeByteIsRejectedWith403(int index) {
    proxy.next(Kind.MSG1, AttackProxy.flipRequestByte(index));

    assertThrows(WrongSecureKeyException.class, () -> calc.add(1, 2));

    assertEquals(403, proxy.last(Kind.MSG1).status());
    assertEquals("handshake rejected", text(proxy.last(Kind.MSG1)));
    assertEquals(0, calculators.sessionsOpened(CALC));
    honestCallStillWorks(0);
  }

  @ParameterizedTest(name = "msg3 byte {0}")
  @ValueSource(ints = {1, 10, -1})
  void aFlippedThirdHandshakeByteIsRejectedWith403AndOpensNoSession(int index) {
    proxy.next(Kind.MSG3, AttackProxy.flipRequestByte(index));

    // The call was not sealed yet: the client starts a new handshake and the call runs once.
    assertEquals(3, calc.add(1, 2));

    assertEquals(403, proxy.exchanges(Kind.MSG3).get(0).status());
    assertEquals(2, proxy.count(Kind.MSG1), "a new handshake");
    assertEquals(1, calculators.sessionsOpened(CALC), "the tampered msg3 opened no session");
    assertEquals(1, adds());
    honestCallStillWorks(1);
  }

  @ParameterizedTest(name = "msg2 byte {0} -> {1}")
  @CsvSource({
      "1,  EncryptionNotSupportedException",  // message type: not a msg2 at all
      "10, WrongSecureKeyException",          // e_S: fails to authenticate
      "34, WrongSecureKeyException",          // encrypted server flags
      "40, WrongSecureKeyException"})         // their tag
  void aFlippedSecondHandshakeMessageIsRefusedByTheClient(int index, String exception) {
    proxy.next(Kind.MSG1, AttackProxy.flipAnswerByte(index));

    TransportException e = assertThrows(TransportException.class, () -> calc.add(1, 2));

    assertEquals(exception, e.getClass().getSimpleName(), e.toString());

    assertEquals(0, proxy.count(Kind.MSG3), "the client went on with a forged msg2");
    assertEquals(0, calculators.sessionsOpened(CALC));
    honestCallStillWorks(0);
  }

  @Test
  void aTokenFlippedInTheSecondHandshakeMessageIsRejectedByTheServerAtMsg3() {
    // The token is opaque to the client (PROTOCOL.md §6.3); the server opens it with msg3.
    proxy.next(Kind.MSG1, AttackProxy.flipAnswerByte(-1));

    assertEquals(3, calc.add(1, 2), "after a new handshake");

    assertEquals(403, proxy.exchanges(Kind.MSG3).get(0).status());
    assertEquals(1, calculators.sessionsOpened(CALC), "the msg3 with the flipped token opened no session");
    assertEquals(1, adds());
    honestCallStillWorks(1);
  }

  @Test
  void aFlippedFourthHandshakeMessageFailsAtTheClientAndNoCallIsSent() {
    proxy.next(Kind.MSG3, AttackProxy.flipAnswerByte(-1));

    assertThrows(TransportException.class, () -> calc.add(1, 2));

    assertEquals(0, proxy.count(Kind.SEALED));
    assertEquals(0, adds());
    honestCallStillWorks(0);
  }

  @Test
  void aSessionHeaderChangedOnTheLastHandshakeAnswerDoesNotMisleadTheClient() {
    // The session id is inside msg4's authenticated payload; the header only repeats it.
    proxy.next(Kind.MSG3, new Script() {
      @Override
      public Answer afterForward(Hop hop, Answer answer) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(answer.headers());
        headers.keySet().removeIf(k -> k.equalsIgnoreCase(AttackProxy.SESSION_HEADER));
        headers.put(AttackProxy.SESSION_HEADER, "AAAAAAAAAAAAAAAAAAAAAA");
        return new Answer(answer.status(), answer.contentType(), headers, answer.body());
      }
    });

    assertEquals(3, calc.add(1, 2));

    assertEquals(1, adds());
    assertEquals(1, calculators.sessionsOpened(CALC));
    assertNotEquals("AAAAAAAAAAAAAAAAAAAAAA", proxy.last(Kind.SEALED).headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(AttackProxy.SESSION_HEADER)).findFirst().orElseThrow().getValue());
  }

  @Test
  void aProxyPretendingTheServerDoesNotEncryptCannotDowngradeAForcingClient() {
    proxy.next(Kind.MSG1, AttackProxy.answer(415, "text/plain", "no\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThrows(dev.parley.client.EncryptionNotSupportedException.class, () -> calc.add(1, 2));

    assertEquals(0, proxy.count(Kind.PLAIN), "the forcing client fell back to plain");
    assertEquals(0, adds());
    honestCallStillWorks(0);
  }

  @Test
  void aPlainJsonAnswerToTheFirstHandshakeMessageIsNotAcceptedByAForcingClient() {
    proxy.next(Kind.MSG1, AttackProxy.answer(200, AttackProxy.JSON,
        "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThrows(TransportException.class, () -> calc.add(1, 2));

    assertEquals(0, proxy.count(Kind.PLAIN));
    assertEquals(0, proxy.count(Kind.SEALED));
    honestCallStillWorks(0);
  }

  // ---------------------------------------------------------------- replays

  @Test
  void aReplayedSealedRequestIsRejectedWith400AndRunsOnlyOnce() throws Exception {
    Exchange sent = capturedSealedAdd();
    assertEquals(2, adds());

    Answer replayed = proxy.replay(sent);

    assertEquals(400, replayed.status());
    assertEquals("frame rejected", replayed.text().trim());
    assertEquals(2, adds(), "the replayed request ran again");
    honestCallStillWorks(2);
  }

  @Test
  void aReplayedSealedRequestIsRejectedEvenAfterLaterCalls() throws Exception {
    Exchange sent = capturedSealedAdd();
    for (int i = 0; i < 20; i++) {
      assertEquals(i + 1, calc.add(i, 1));
    }
    assertEquals(22, adds());

    assertEquals(400, proxy.replay(sent).status());

    assertEquals(22, adds());
    honestCallStillWorks(22);
  }

  @Test
  void aReplayedThirdHandshakeMessageOpensNoSecondSession() throws Exception {
    Exchange sent = capturedInWarmUp(Kind.MSG3);
    assertEquals(1, calculators.sessionsOpened(CALC));

    Answer replayed = proxy.replay(sent);

    assertEquals(403, replayed.status());
    assertEquals("handshake rejected", replayed.text().trim());
    assertEquals(1, calculators.sessionsOpened(CALC));
    honestCallStillWorks(1);
  }

  @Test
  void aReplayedFirstHandshakeMessageOpensNoSessionAndRunsNothing() throws Exception {
    Exchange sent = capturedInWarmUp(Kind.MSG1);

    // msg1 is answered statelessly (PROTOCOL.md §6.3): a replay costs the server nothing.
    Answer replayed = proxy.replay(sent);

    assertEquals(200, replayed.status());
    assertEquals(1, calculators.sessionsOpened(CALC));
    assertEquals(1, adds());
    honestCallStillWorks(1);
  }

  // ---------------------------------------------------------------- reordering

  @Test
  void concurrentRequestsDeliveredInReverseOrderEachRunOnce() throws Exception {
    warmUp();
    int n = 8;
    Reverse reverse = new Reverse(n);
    proxy.nextEach(Kind.SEALED, n, reverse);
    pool = Executors.newFixedThreadPool(n);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = i;
      results.add(pool.submit(() -> calc.add(a, 1000)));
    }

    for (int i = 0; i < n; i++) {
      assertEquals(i + 1000, results.get(i).get(30, TimeUnit.SECONDS));
    }
    assertEquals(List.of(7, 6, 5, 4, 3, 2, 1, 0), reverse.forwardOrder());
    assertEquals(1 + n, adds());
    honestCallStillWorks(1 + n);
  }

  @Test
  void answersSwappedBetweenTwoConcurrentCallsAreDetectedAndNeitherCallRanTwice() throws Exception {
    warmUp();
    proxy.nextEach(Kind.SEALED, 2, new SwapAnswers());
    pool = Executors.newFixedThreadPool(2);
    Future<Integer> first = pool.submit(() -> calc.add(1, 1));
    Future<Integer> second = pool.submit(() -> calc.add(2, 2));

    for (Future<Integer> f : List.of(first, second)) {
      Exception e = assertThrows(Exception.class, () -> f.get(30, TimeUnit.SECONDS));
      assertInstanceOf(TransportException.class, e.getCause(), "a swapped answer was accepted");
    }
    assertEquals(3, adds(), "each genuine request ran exactly once");
    honestCallStillWorks(3);
  }

  private static String sessionHeader(Exchange msg3) {
    for (Map.Entry<String, String> e : msg3.answer().headers().entrySet()) {
      if (e.getKey().equalsIgnoreCase(AttackProxy.SESSION_HEADER)) {
        return e.getValue();
      }
    }
    throw new AssertionError("msg4 carried no " + AttackProxy.SESSION_HEADER + " header: " + msg3);
  }
}
