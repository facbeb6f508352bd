package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.CallOutcome;
import dev.parley.TransportException;
import dev.parley.client.ClientModule;
import dev.parley.client.SessionLostException;
import dev.parley.it.secure.AttackProxy.Answer;
import dev.parley.it.secure.AttackProxy.Hop;
import dev.parley.it.secure.AttackProxy.Kind;
import dev.parley.it.secure.AttackProxy.Script;
import dev.parley.testing.ManualTicker;
import dev.parley.testing.ParleyServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Runs at most once" against a man in the middle who can rewrite headers, paths and statuses,
 * repeat headers, hold a frame and deliver it later, or send it to a sibling module or a replica
 * (PROTOCOL.md §13, §14, §15.6). Each attack is played out to its end (the held original is
 * delivered too), and then the function's own record is checked: the non-idempotent
 * {@code transfer} never ran twice, and no exception claimed "not run" for a transfer that ran.
 */
class ExactlyOnceTest {
  private static final String CALC = "/calc";
  private static final String SIBLING = "/sibling";   // same SecureKey, another module of the same process

  private final ManualTicker ticker = new ManualTicker();
  private final Calculators calculators = new Calculators();

  @RegisterExtension
  final ParleyServer server = ParleyServer.builder()
      .module(calculators.module(CALC).encryptionKey(32).secureKey(Keys.a()).autoSessionsLive(Duration.ofMinutes(10)))
      .module(calculators.module(SIBLING).encryptionKey(32).secureKey(Keys.a()))
      .ticker(ticker)   // the sibling's sessions too: it has none, it only answers the redirected call
      .build();

  private AttackProxy proxy;
  private ClientModule module;
  private CalculatorClient calc;

  @BeforeEach
  void start() {
    proxy = new AttackProxy(server.uri().toString());
    module = ClientModule.builder(proxy.url(CALC)).encryptionKey(32).secureKey(Keys.a()).build();
    calc = new CalculatorClient(module);
    assertEquals(3, calc.add(1, 2), "an honest call opens the session");
  }

  @AfterEach
  void stop() {
    module.close();
    proxy.close();
    assertEquals(java.util.List.of(), proxy.failures(), "the proxy itself failed");
  }

  private int ran(String id) {
    return calculators.service(CALC).transfers(id);
  }

  private static String randomSid() {
    byte[] sid = new byte[16];
    new SecureRandom().nextBytes(sid);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sid);
  }

  /** Keeps the genuine request as it arrived, then lets {@code change} alter what is forwarded. */
  private static final class HoldAndChange implements Script {
    private final Consumer<Hop> change;
    private volatile Hop original;

    HoldAndChange(Consumer<Hop> change) {
      this.change = change;
    }

    @Override
    public Answer beforeForward(Hop hop) {
      original = copy(hop);
      change.accept(hop);
      return null;
    }

    /** The genuine request, untouched, as the attacker would deliver it later. */
    Hop original() {
      return copy(original);
    }
  }

  static Hop copy(Hop hop) {
    return new Hop(hop.kind, hop.method, hop.path, new LinkedHashMap<>(hop.headers), hop.body.clone());
  }

  /** Every claim of "not run" must be true, and nothing may have run twice. */
  private void assertHonest(TransportException e, String id) {
    if (e.outcome() == CallOutcome.NOT_RUN) {
      assertEquals(0, ran(id), "the exception claimed 'not run' for a transfer that ran: " + e.getMessage());
    }
    String message = e.getMessage().toLowerCase(Locale.ROOT);
    if (ran(id) > 0) {
      assertFalse(message.contains("did not run") && !message.contains("unknown"), e.getMessage());
    }
  }

  /**
   * The attacker's held original of transfer t1 reaches the server at last: it runs, once; the
   * client's exception told the truth about it; an honest call still runs once.
   */
  private void assertTheHeldOriginalRunsOnce(HoldAndChange attack, TransportException e) throws Exception {
    assertEquals(200, proxy.forward(attack.original()).status());
    assertEquals(1, ran("t1"));
    assertHonest(e, "t1");
    honestCallStillRunsOnce();
  }

  /** The next sealed call reaches the server and runs; its answer is replaced by {@code forged}. */
  private void replaceTheNextAnswer(UnaryOperator<Answer> forged) {
    proxy.next(Kind.SEALED, new Script() {
      @Override
      public Answer afterForward(Hop hop, Answer genuine) {
        return forged.apply(genuine);
      }
    });
  }

  private void honestCallStillRunsOnce() {
    assertEquals("done after", calc.transfer("after"));
    assertEquals(1, ran("after"));
  }

  @Test
  void aRewrittenSessionHeaderCannotMakeTheClientSendACallTwice() throws Exception {
    HoldAndChange attack = new HoldAndChange(hop -> hop.setHeader(AttackProxy.SESSION_HEADER, randomSid()));
    proxy.next(Kind.SEALED, attack);

    TransportException e = assertThrows(TransportException.class, () -> calc.transfer("t1"));
    assertEquals(400, e.httpStatus(), "the header differs from the frame's sid: no reject (§15.6)");
    assertEquals(CallOutcome.UNKNOWN, e.outcome());

    Answer late = proxy.forward(attack.original());   // the attacker delivers the genuine request
    assertEquals(200, late.status());
    assertEquals(1, ran("t1"), "ran once: when the attacker delivered it, never because of the client");
    assertHonest(e, "t1");
    honestCallStillRunsOnce();
  }

  @Test
  void aRejectHarvestedWithACopyUnderAnotherHeaderCannotMakeTheClientSendACallTwice() throws Exception {
    proxy.next(Kind.SEALED, new Script() {
      @Override
      public Answer afterForward(Hop hop, Answer genuine) throws Exception {
        Hop copy = copy(hop);   // the genuine request ran; its answer is dropped
        copy.setHeader(AttackProxy.SESSION_HEADER, randomSid());
        return proxy.forward(copy);   // whatever the copy gets goes to the client instead
      }
    });

    TransportException e = assertThrows(TransportException.class, () -> calc.transfer("t1"));
    assertEquals(400, e.httpStatus());
    assertEquals(CallOutcome.UNKNOWN, e.outcome());
    assertEquals(1, ran("t1"));
    assertHonest(e, "t1");
    honestCallStillRunsOnce();
  }

  @Test
  void aSecondSessionHeaderPlacedBeforeTheRealOneCannotMakeTheClientSendACallTwice() throws Exception {
    HoldAndChange attack = new HoldAndChange(hop -> hop.prepended.add(new String[] {AttackProxy.SESSION_HEADER, randomSid()}));
    proxy.next(Kind.SEALED, attack);

    TransportException e = assertThrows(TransportException.class, () -> calc.transfer("t1"));
    assertEquals(400, e.httpStatus(), "a repeated Parley-Session header: no reject (§15.6)");
    assertEquals(CallOutcome.UNKNOWN, e.outcome());

    assertTheHeldOriginalRunsOnce(attack, e);
  }

  @Test
  void aCallRedirectedToASiblingModuleWithTheSameKeyCannotMakeTheClientSendItTwice() throws Exception {
    HoldAndChange attack = new HoldAndChange(hop -> hop.path = SIBLING);
    proxy.next(Kind.SEALED, attack);

    SessionLostException e = assertThrows(SessionLostException.class, () -> calc.transfer("t1"));
    assertEquals(CallOutcome.UNKNOWN, e.outcome(), "the sibling's reject proves nothing about /calc");
    assertEquals(410, proxy.last(Kind.SEALED).status());

    assertTheHeldOriginalRunsOnce(attack, e);
    assertEquals(0, calculators.service(SIBLING).totalInvocations());
  }

  @Test
  void aCallSentToAReplicaWithTheSameKeyCannotMakeTheClientSendItTwice() throws Exception {
    Calculators replicas = new Calculators();
    try (ParleyServer replica = ParleyServer.builder()
        .module(replicas.module(CALC).encryptionKey(32).secureKey(Keys.a())).build().start()) {
      HoldAndChange attack = new HoldAndChange(hop -> hop.upstream = replica.uri().toString());
      proxy.next(Kind.SEALED, attack);

      SessionLostException e = assertThrows(SessionLostException.class, () -> calc.transfer("t1"));
      assertEquals(CallOutcome.UNKNOWN, e.outcome(), "a replica's reject proves nothing about the session's own instance");

      assertTheHeldOriginalRunsOnce(attack, e);
      assertEquals(0, replicas.service(CALC).totalInvocations());
    }
  }

  @Test
  void aCallHeldUntilItsSessionExpiredCannotMakeTheClientSendItTwice() throws Exception {
    proxy.next(Kind.SEALED, new Script() {
      @Override
      public Answer afterForward(Hop hop, Answer genuine) throws Exception {
        // The call ran; the attacker keeps its answer, waits until the session has expired and
        // sends a copy, hoping the server no longer remembers and answers a reject.
        ticker.advance(Duration.ofMinutes(11));
        return proxy.forward(copy(hop));
      }
    });

    TransportException e = assertThrows(TransportException.class, () -> calc.transfer("t1"));
    assertEquals(400, e.httpStatus(), "the retired session's record says the counter was accepted (§13.2)");
    assertEquals(CallOutcome.UNKNOWN, e.outcome());
    assertEquals(1, ran("t1"));
    assertHonest(e, "t1");
    honestCallStillRunsOnce();
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 404, 412, 502, 503})
  void aForgedStatusAfterTheCallRanIsReportedAsUnknownAndNotReSent(int status) {
    replaceTheNextAnswer(genuine -> new Answer(status, "text/plain", Map.of(ClientModuleHeaders.DRAINING, "1"), "forged".getBytes()));

    TransportException e = assertThrows(TransportException.class, () -> calc.transfer("t1"));
    assertEquals(status, e.httpStatus());
    assertEquals(CallOutcome.UNKNOWN, e.outcome(), e.getMessage());
    assertEquals(1, ran("t1"), "ran once and was not sent again");
    assertHonest(e, "t1");
    honestCallStillRunsOnce();
  }

  @Test
  void aForgedDrainingAnswerThatDoesNotAuthenticateIsNotBelieved() {
    replaceTheNextAnswer(genuine -> new Answer(503, AttackProxy.SEALED, genuine.body()));   // the genuine frame, relabelled 503

    TransportException e = assertThrows(TransportException.class, () -> calc.transfer("t1"));
    assertEquals(503, e.httpStatus());
    assertEquals(CallOutcome.UNKNOWN, e.outcome());
    assertEquals(1, ran("t1"));
    honestCallStillRunsOnce();
  }

  @Test
  void aConnectionResetAfterTheRequestWasDeliveredIsReportedAsUnknown() {
    replaceTheNextAnswer(genuine -> Answer.DROP_CONNECTION);

    TransportException e = assertThrows(TransportException.class, () -> calc.transfer("t1"));
    assertEquals(0, e.httpStatus());
    assertEquals(CallOutcome.UNKNOWN, e.outcome(), e.getMessage());
    assertEquals(1, ran("t1"));
    assertHonest(e, "t1");
    honestCallStillRunsOnce();
  }

  @Test
  void anIdempotentCallIsSentAgainAfterAnUnprovenFailureAndAnyClaimStaysTrue() {
    replaceTheNextAnswer(genuine -> Answer.DROP_CONNECTION);
    assertEquals(49, calc.square(7), "idempotent: sent once more after the reset");
    assertEquals(2, calculators.service(CALC).invocations("square"), "it ran twice, which an idempotent function allows");
  }

  @Test
  void theSessionsOwnRejectStillMakesTheClientSendTheCallOnceMore() {
    ticker.advance(Duration.ofMinutes(11));   // the session expired honestly, long ago

    assertEquals("done t1", calc.transfer("t1"));

    assertEquals(1, ran("t1"), "the verified reject proved 'not run'; the repost ran it once");
    assertEquals(410, proxy.exchanges(Kind.SEALED).get(1).status());
  }

  /** The header name of the draining answer, as the server module declares it. */
  private static final class ClientModuleHeaders {
    static final String DRAINING = dev.parley.server.ServerModule.DRAINING_HEADER;
  }
}
