package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.ClientChannel.RejectCheck;
import dev.parley.crypto.SecureKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may tell a client that a sealed call did not run (PROTOCOL.md §13.2, §15.6, §15.7), tried
 * from outside with a raw peer: every way of collecting a reject for a call that ran fails, and the
 * session's own instance says "not run" exactly when it is true.
 */
class NotRunProofTest {
  private static final String ROUTE = "/secure";
  private static final String ADD = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicInteger adds = new AtomicInteger();
  private ServerHarness harness;

  @BeforeEach
  void start() {
    harness = new ServerHarness(module(ROUTE));
  }

  private ServerModule module(String route) {
    return ServerModule.builder(route)
        .functions(new HandWrittenFunctions("test.Secure").fn("add", List.of("a", "b"), (a, s) -> {
          adds.incrementAndGet();
          return HandWrittenFunctions.sum(a);
        }))
        .secureKey(SecureTestClient.KEY_HEX)
        .autoSessionsLive(Duration.ofMinutes(10))
        .ticker(ticker)
        .sessionExecutor(Runnable::run)
        .build();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private static String randomSid() {
    return SessionIds.next();
  }

  @Test
  void aRewrittenSessionHeaderGets400AndNoRejectAndTheHeldOriginalStillRunsOnce() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    SecureTestClient.Raw rewritten = client.sendWithSessionHeaders(call, List.of(randomSid()));
    assertEquals(400, rewritten.status(), "the header differs from the frame's sid");
    assertEquals(0, adds.get());
    assertEquals(3, ServerHarness.tree(client.open(call, client.send(call))).get("result").asInt());
    assertEquals(1, adds.get());
  }

  @Test
  void aRepeatedSessionHeaderGets400WhicheverValueComesFirst() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    assertEquals(400, client.sendWithSessionHeaders(call, List.of(randomSid(), client.sid())).status());
    assertEquals(400, client.sendWithSessionHeaders(call, List.of(client.sid(), client.sid())).status());
    assertEquals(400, client.sendWithSessionHeaders(call, List.of()).status(), "no header at all");
    assertEquals(0, adds.get());
  }

  @Test
  void aCopyOfACallThatRanGets400NeverAReject() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    client.send(call);
    SecureTestClient.Raw copy = client.send(call);
    assertEquals(400, copy.status());
    assertEquals(1, adds.get());
  }

  @Test
  void aSiblingModuleWithTheSameSecureKeyAnswersARejectThatProvesNothing() {
    try (ServerHarness sibling = new ServerHarness(module("/sibling"))) {
      SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
      SecureTestClient.Call call = client.seal(ADD, false);
      assertNotEquals(RejectCheck.VERIFIED, client.assertGone(call, client.sendTo(sibling.url(), call)));
    }
  }

  @Test
  void aReplicaOfTheSameModuleAnswersARejectFromAnotherInstance() {
    try (ServerHarness replica = new ServerHarness(module(ROUTE))) {
      SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
      SecureTestClient.Call call = client.seal(ADD, false);
      assertEquals(RejectCheck.OTHER_INSTANCE, client.assertGone(call, client.sendTo(replica.url(), call)));
      assertEquals(3, ServerHarness.tree(client.open(call, client.send(call))).get("result").asInt(),
          "the call then runs where its session lives, once");
      assertEquals(1, adds.get());
    }
  }

  /** Seals an add on {@code client} and sends it: it runs; the call's frame may be sent again. */
  private static SecureTestClient.Call delivered(SecureTestClient client) {
    SecureTestClient.Call call = client.seal(ADD, false);
    client.send(call);
    return call;
  }

  @Test
  void theSessionsOwnInstanceProvesNotRunForAFrameThatArrivesAfterTheSessionExpired() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ticker.advance(Duration.ofMinutes(11));
    SecureTestClient.Call call = client.seal(ADD, false);
    assertEquals(RejectCheck.VERIFIED, client.assertGone(call, client.send(call)));
    assertEquals(0, adds.get());
  }

  @Test
  void aHeldCopyOfACallThatRanGets400AfterItsSessionWasDropped() {
    // The attacker delivers a call (it runs), keeps the answer, waits for the session to go and
    // sends a copy, hoping for a reject that would make the client send the call again.
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call ran = delivered(client);
    SecureTestClient.Call neverSent = client.seal(ADD, false);
    harness.module.sessions().invalidate(client.sid());

    assertEquals(400, client.send(ran).status(), "its record says the counter was accepted");
    assertEquals(RejectCheck.VERIFIED, client.assertGone(neverSent, client.send(neverSent)), "a call that never ran");
    assertEquals(1, adds.get());
  }

  @Test
  void aHeldCopyStillGets400AfterTheSessionExpiredWithoutMaintenance() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call ran = delivered(client);
    ticker.advance(Duration.ofMinutes(11));   // expired, but nothing has removed it yet
    assertEquals(400, client.send(ran).status());
    assertEquals(1, adds.get());
  }

  @Test
  void aRetirementRecordIsKeptForItsRetentionThenTheInstanceRejectsAgain() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call ran = delivered(client);
    harness.module.sessions().invalidate(client.sid());
    ticker.advance(SessionStore.RETIRED_RETENTION.minusSeconds(1));
    assertEquals(400, client.send(ran).status());
    ticker.advance(Duration.ofSeconds(2));
    // Past the retention the instance no longer knows; the reject it now gives is one that an honest
    // client no longer accepts (PROTOCOL.md §13.3: the reject horizon is half the retention).
    assertEquals(410, client.send(ran).status());
  }

  @Test
  void aSessionIdThatIsLiveOrRetiredIsNotGivenOutAgain() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Raw live = SecureTestClient.handshake(harness.url(), client.msg3);
    assertEquals(403, live.status(), "live");
    harness.module.sessions().invalidate(client.sid());
    SecureTestClient.Raw retired = SecureTestClient.handshake(harness.url(), client.msg3);
    assertEquals(403, retired.status(), "retired");
  }

  @Test
  void anEmptySealedRequestIsAPingThatRunsNothing() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call ping = client.sealPlaintext(new byte[0]);
    SecureTestClient.Raw answer = client.send(ping);
    assertArrayEquals(new byte[0], client.openPlaintext(ping, answer));
    assertEquals(0, adds.get());
  }

  @Test
  void aDrainingModuleAnswersSealedCallsWithAnAuthenticatedNotRun() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    harness.module.drain();
    SecureTestClient.Call call = client.seal(ADD, false);
    SecureTestClient.Raw answer = client.send(call);
    assertEquals(503, answer.status());
    assertArrayEquals(new byte[0], client.openPlaintext(call, answer, 503), "sealed with status 503");
    assertEquals(400, client.send(call).status(), "marked: no copy of it can run later");
    assertEquals(0, adds.get());
  }

  @Test
  void aDrainingModuleAnswersHandshakesAndPlainCalls503WithTheDrainingHeader() {
    harness.module.drain();
    SecureTestClient.Raw handshake = SecureTestClient.post(harness.url(), SecureTestClient.HANDSHAKE,
        new byte[54], Map.of(), ServerModule.DRAINING_HEADER);
    assertEquals(503, handshake.status());
    assertEquals("1", handshake.header());
    try (ServerHarness plain = new ServerHarness(ServerModule.builder("/plain")
        .functions(new HandWrittenFunctions("test.Plain").fn("add", List.of("a", "b"), (a, s) -> adds.incrementAndGet()))
        .build())) {
      plain.module.drain();
      ServerHarness.Answer answer = plain.post(ADD);
      assertEquals(503, answer.status());
      assertEquals(0, adds.get());
    }
  }

  @Test
  void stoppingTheServerFinishesRunningCallsAndAnswersNewOnesNotRun() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServerModule module = ServerModule.builder(ROUTE)
        .functions(new HandWrittenFunctions("test.Slow")
            .fn("slow", List.of(), (a, s) -> {
              entered.countDown();
              release.await(30, TimeUnit.SECONDS);
              return "done";
            })
            .fn("add", List.of("a", "b"), (a, s) -> adds.incrementAndGet()))
        .secureKey(SecureTestClient.KEY_HEX)
        .build();
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module)
        .drainTime(Duration.ofMinutes(5)).build().start();
    String url = server.uri() + ROUTE;
    SecureTestClient client = SecureTestClient.connect(url, ROUTE, SecureKey.parse(SecureTestClient.KEY_HEX));
    SecureTestClient.Call slow = client.seal("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":1}", false);
    java.util.concurrent.CompletableFuture<String> running = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> ServerHarness.tree(client.open(slow, client.send(slow))).get("result").asText());
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    Thread stopper = new Thread(server::stop);
    stopper.start();
    while (!module.isDraining()) {
      Thread.onSpinWait();   // stop() drains the modules first, then keeps the port open for drainTime
    }
    SecureTestClient.Call late = client.seal(ADD, false);
    SecureTestClient.Raw answer = client.send(late);
    assertArrayEquals(new byte[0], client.openPlaintext(late, answer, 503));
    release.countDown();
    assertEquals("done", running.get(30, TimeUnit.SECONDS), "the call that was running finishes and answers");
    stopper.interrupt();   // cut the drain time short
    stopper.join();
    assertTrue(!server.isRunning());
    assertEquals(0, adds.get());
  }
}
