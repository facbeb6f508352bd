package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.crypto.ClientChannel.RejectCheck;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.SecureKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An encrypting, forcing module (a SecureKey is set): PROTOCOL.md §15 end to end over real HTTP. */
class EncryptedModuleTest {
  private static final String ROUTE = "/secure";
  private static final String ADD = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicInteger adds = new AtomicInteger();
  private final List<String> opened = new CopyOnWriteArrayList<>();
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private ServerHarness harness;

  @BeforeEach
  void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Secure")
        .fn("add", List.of("a", "b"), (a, s) -> {
          adds.incrementAndGet();
          return HandWrittenFunctions.sum(a);
        })
        .fn("whoami", List.of(), (a, s) -> s.id())
        .fn("echo", List.of("s"), (a, s) -> a.<String>get(0, "s", String.class))
        .logout("bye");
    harness = new ServerHarness(ServerModule.builder(ROUTE)
        .functions(functions)
        .secureKey(SecureTestClient.KEY_HEX)
        .autoSessionsLive(Duration.ofMinutes(10))
        .onSessionOpen(s -> opened.add(s.id()))
        .onSessionClose(s -> closed.add(s.id()))
        .ticker(ticker)
        .sessionExecutor(Runnable::run)
        .nonBlocking(nonBlocking())
        .build());
  }

  /** {@link NonBlockingEncryptedModuleTest} runs every test here with a non-blocking module. */
  boolean nonBlocking() {
    return false;
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void secureKeyImpliesEncryptionKey32AndForcing() {
    assertEquals(32, harness.module.encryptionKey());
    assertTrue(harness.module.forcesEncryption());
  }

  @Test
  void sealedCallAfterTheHandshakeAnswersTheResult() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    JsonNode answer = ServerHarness.tree(client.call(ADD));
    assertEquals(3, answer.get("result").asInt());
    assertEquals(1, adds.get());
  }

  @Test
  void sealedCallGetsTheEncryptedSessionInjected() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    String whoami = "{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":7}";
    assertEquals(client.sid(), ServerHarness.tree(client.call(whoami)).get("result").asText());
  }

  @Test
  void acceptedHandshakeFiresOnSessionOpenOnce() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    assertEquals(List.of(client.sid()), opened);
  }

  @Test
  void plainCallToAForcingModuleGets412AndRunsNothing() {
    ServerHarness.Answer answer = harness.post(ADD);
    assertEquals(412, answer.status());
    assertEquals("encryption required\n", answer.body());
    assertEquals(0, adds.get());
  }

  @Test
  void msg1UnderAnotherSecureKeyGets403() {
    ClientHandshake wrong = ClientHandshake.start(SecureKey.parse(SecureTestClient.OTHER_KEY_HEX), ROUTE, 32, new SecureRandom());
    SecureTestClient.Raw answer = SecureTestClient.handshake(harness.url(), wrong.message1());
    assertEquals(403, answer.status());
    assertEquals("handshake rejected\n", answer.text());
  }

  @Test
  void msg1ForAnotherRouteGets403WithTheSameBody() {
    ClientHandshake wrong = ClientHandshake.start(SecureKey.parse(SecureTestClient.KEY_HEX), "/other", 32, new SecureRandom());
    SecureTestClient.Raw answer = SecureTestClient.handshake(harness.url(), wrong.message1());
    assertEquals(403, answer.status());
    assertEquals("handshake rejected\n", answer.text());
  }

  @Test
  void unauthenticatedMsg1ToAKeyedModuleGets403() {
    ClientHandshake none = ClientHandshake.start(SecureKey.none(), ROUTE, 32, new SecureRandom());
    SecureTestClient.Raw answer = SecureTestClient.handshake(harness.url(), none.message1());
    assertEquals(403, answer.status());
  }

  @Test
  void replayedMsg3Gets403AndCreatesNoSecondSession() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Raw replay = SecureTestClient.handshake(harness.url(), client.msg3);
    assertEquals(403, replay.status());
    assertEquals("handshake rejected\n", replay.text());
    assertNull(replay.session());
    assertEquals(1, harness.module.sessions().size());
    assertEquals(1, opened.size());
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt(), "the original session still works");
  }

  @Test
  void garbageHandshakeBodyGets403() {
    SecureTestClient.Raw answer = SecureTestClient.post(harness.url(), SecureTestClient.HANDSHAKE,
        new byte[] {1, 9, 0}, Map.of(), null);
    assertEquals(403, answer.status());
  }

  @Test
  void expiredSessionGets410WithARejectTheClientVerifies() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ticker.advance(Duration.ofMinutes(11));
    SecureTestClient.Call call = client.seal(ADD, false);
    SecureTestClient.Raw answer = client.send(call);
    assertEquals(410, answer.status());
    assertEquals("application/vnd.parley.reject", answer.contentType());
    assertTrue(client.rejectVerifies(call, answer));
    assertEquals(0, adds.get());
  }

  @Test
  void invalidatedSessionGets410WithARejectTheClientVerifies() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    String logout = "{\"jsonrpc\":\"2.0\",\"method\":\"logout\",\"id\":1}";
    assertEquals("bye", ServerHarness.tree(client.call(logout)).get("result").asText(),
        "the answer of the call that invalidated its session is still sealed and delivered");
    SecureTestClient.Call call = client.seal(ADD, false);
    assertEquals(RejectCheck.VERIFIED, client.assertGone(call, client.send(call)));
    assertEquals(List.of(client.sid()), closed);
    assertEquals(0, adds.get());
  }

  @Test
  void sessionRemovalZeroesItsKeysAndFiresOnSessionClose() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ServerSession session = harness.module.sessions().get(client.sid());
    assertFalse(session.channel().toString().contains("destroyed"));
    ticker.advance(Duration.ofMinutes(11));
    harness.module.sessions().cleanUp();
    assertTrue(session.channel().toString().contains("destroyed"), session.channel().toString());
    assertEquals(List.of(client.sid()), closed);
    assertEquals(410, client.send(client.seal(ADD, false)).status());
  }

  @Test
  void sealedCallForASessionTheServerNeverHadGets410() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    harness.module.sessions().invalidateAll();
    SecureTestClient.Call call = client.seal(ADD, false);
    assertEquals(RejectCheck.VERIFIED, client.assertGone(call, client.send(call)));
  }

  @Test
  void tamperedFrameGets400AndTheSessionLivesOn() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    byte[] tampered = call.tamperedFrame();
    SecureTestClient.Raw answer = client.send(tampered, client.sid());
    assertEquals(400, answer.status());
    assertEquals("frame rejected\n", answer.text());
    assertEquals(0, adds.get());
    assertEquals(3, ServerHarness.tree(client.open(call, client.send(call))).get("result").asInt(),
        "the genuine frame is still accepted: a forgery burns no counter");
  }

  @Test
  void replayedFrameGets400AndRunsOnce() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    assertEquals(200, client.send(call).status());
    SecureTestClient.Raw replay = client.send(call);
    assertEquals(400, replay.status());
    assertEquals("frame rejected\n", replay.text());
    assertEquals(1, adds.get());
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt());
  }

  @Test
  void headerSidOfAnotherLiveSessionGets400AndBothSessionsLiveOn() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient other = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    SecureTestClient.Raw answer = client.send(call.frame(), other.sid());
    assertEquals(400, answer.status());
    assertEquals("frame rejected\n", answer.text());
    assertEquals(0, adds.get());
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt());
    assertEquals(3, ServerHarness.tree(other.call(ADD)).get("result").asInt());
  }

  @Test
  void sealedCallWithoutSessionHeaderGets400() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    assertEquals(400, client.send(client.seal(ADD, false).frame(), null).status());
    assertEquals(0, adds.get());
  }

  @Test
  void truncatedFrameGets400() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    byte[] frame = client.seal(ADD, false).frame();
    assertEquals(400, client.send(java.util.Arrays.copyOf(frame, 30), client.sid()).status());
  }

  @Test
  void deflatedRequestIsInflated() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    // At least 256 bytes of JSON: a sender never deflates less (PROTOCOL.md §15.4).
    String add = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":\"" + "i".repeat(250) + "\"}";
    SecureTestClient.Call call = client.seal(add, true);
    assertEquals(3, ServerHarness.tree(client.open(call, client.send(call))).get("result").asInt());
  }

  @Test
  void largeAnswersSealedInTheirOwnBufferOpenToTheSameText() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    // One chunk, chunk boundaries, several chunks, and a sweep of answers just under 120 280 bytes,
    // a capacity the answer's growable buffer reaches as Jackson fills it: there the frame (header
    // and tags added) sometimes fits in the buffer and sometimes needs it grown first (14 of the 23
    // with Jackson 2.22's flushes; either way each answer must open to its text).
    List<Integer> lengths = new java.util.ArrayList<>(List.of(0, 65_400, 65_536, 200_000, 1_100_000));
    for (int n = 120_150; n <= 120_260; n += 5) {
      lengths.add(n);
    }
    for (int n : lengths) {
      String text = "q".repeat(n);
      SecureTestClient.Call call = sealEcho(client, text);
      assertEquals(text, echoed(client, call, client.send(call)), "length " + n);
    }
  }

  @Test
  void aSealedRequestSentChunkedIsServedLikeOneWithALength() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    for (int n : List.of(10, 200_000)) {
      String text = "c".repeat(n);
      SecureTestClient.Call call = sealEcho(client, text);
      assertEquals(text, echoed(client, call, client.sendChunked(call)), "length " + n);
    }
  }

  private static SecureTestClient.Call sealEcho(SecureTestClient client, String text) {
    return client.seal("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + text + "\"],\"id\":1}", false);
  }

  private static String echoed(SecureTestClient client, SecureTestClient.Call call, SecureTestClient.Raw answer) {
    return ServerHarness.tree(client.open(call, answer)).get("result").asText();
  }

  @Test
  void uncompressedAnswerHasFlagZero() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    byte[] plaintext = client.openPlaintext(call, client.send(call));
    assertEquals(0, plaintext[0]);
  }

  @Test
  void notificationGetsASealedEmptyPlaintext() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2]}", false);
    assertArrayEquals(new byte[0], client.openPlaintext(call, client.send(call)));
    assertEquals(1, adds.get());
  }

  @Test
  void sealedBodyThatIsNotJsonGetsASealedParseError() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal("{nope", false);
    assertEquals(-32700, ServerHarness.tree(client.open(call, client.send(call))).get("error").get("code").asInt());
  }

  @Test
  void unknownCompressionFlagGetsASealedParseError() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    byte[] bytes = ADD.getBytes(StandardCharsets.UTF_8);
    byte[] plaintext = new byte[bytes.length + 1];
    plaintext[0] = 7;
    System.arraycopy(bytes, 0, plaintext, 1, bytes.length);
    SecureTestClient.Call call = client.sealPlaintext(plaintext);
    assertEquals(-32700, ServerHarness.tree(client.open(call, client.send(call))).get("error").get("code").asInt());
    assertEquals(0, adds.get());
  }

  @Test
  void plainCallNamingAnEncryptedSessionStill412() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ServerHarness.Answer answer = harness.post(ADD, Map.of(ServerModule.SESSION_HEADER, client.sid()));
    assertEquals(412, answer.status());
    assertNotNull(harness.module.sessions().get(client.sid()));
  }

  @Test
  void concurrentCallsOnOneSessionAllSucceed() throws Exception {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    int threads = 8;
    int calls = 40;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < calls; i++) {
            String json = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[" + i + ",1],\"id\":" + i + "}";
            if (ServerHarness.tree(client.call(json)).get("result").asInt() == i + 1) {
              ok++;
            }
          }
          return ok;
        }));
      }
      for (java.util.concurrent.Future<Integer> result : results) {
        assertEquals(calls, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * calls, adds.get());
  }

  @Test
  void forgedFramesDoNotKeepASessionAlive() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ticker.advance(Duration.ofMinutes(6));
    byte[] forged = client.seal(ADD, false).frame().clone();
    forged[forged.length - 1] ^= 1;
    assertEquals(400, client.send(forged, client.sid()).status());
    ticker.advance(Duration.ofMinutes(6));
    assertEquals(410, client.send(client.seal(ADD, false)).status());
  }

  /** autoSessionsLive 10 min: a use is recorded at most once per 600 ms (SessionStore#touch). */
  @Test
  void aSessionLivesAtLeastAutoSessionsLiveLessOneThousandthAfterItsLastCall() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ticker.advance(Duration.ofMinutes(6));
    assertEquals(200, client.send(client.seal(ADD, false)).status());   // recorded
    ticker.advance(Duration.ofMillis(300));
    assertEquals(200, client.send(client.seal(ADD, false)).status());   // within 600 ms: not recorded again
    ticker.advance(Duration.ofMinutes(10).minusMillis(600 + 1));   // last call + 10 min − 600 ms − 1 ms
    assertEquals(200, client.send(client.seal(ADD, false)).status());
  }

  @Test
  void callsWithinOneThousandthOfAutoSessionsLiveAreRecordedAsOneUse() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ticker.advance(Duration.ofMinutes(6));
    assertEquals(200, client.send(client.seal(ADD, false)).status());   // recorded at 6 min
    ticker.advance(Duration.ofMillis(300));
    assertEquals(200, client.send(client.seal(ADD, false)).status());   // not recorded
    ticker.advance(Duration.ofMinutes(10).minusMillis(300));
    assertEquals(410, client.send(client.seal(ADD, false)).status(), "expired 10 min after the recorded use");
  }

  @Test
  void authenticCallsKeepASessionAlive() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    ticker.advance(Duration.ofMinutes(6));
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt());
    ticker.advance(Duration.ofMinutes(6));
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt());
  }
}
