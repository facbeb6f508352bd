package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.Compression;
import dev.parley.crypto.ClientChannel.RejectCheck;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.SecureKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Plain, unauthenticated, rotated-key and compressing modules; the session age limit. */
class EncryptionModesTest {
  private static final String ROUTE = "/modes";
  private static final String BIG = "{\"jsonrpc\":\"2.0\",\"method\":\"big\",\"id\":1}";
  private static final String SMALL = "{\"jsonrpc\":\"2.0\",\"method\":\"small\",\"id\":2}";
  private static final String WHOAMI = "{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":3}";

  private final AtomicInteger runs = new AtomicInteger();

  private HandWrittenFunctions functions() {
    return new HandWrittenFunctions("test.Modes")
        .fn("big", List.of(), (a, s) -> {
          runs.incrementAndGet();
          return "parley ".repeat(200);
        })
        .fn("small", List.of(), (a, s) -> {
          runs.incrementAndGet();
          return "ok";
        })
        .fn("whoami", List.of(), (a, s) -> s.id());
  }

  private ServerHarness serve(ServerModule.Builder builder) {
    return new ServerHarness(builder.functions(functions()).build());
  }

  /** A module at {@link #ROUTE} encrypted with {@link SecureTestClient#KEY_HEX}. */
  private static ServerModule.Builder encrypted() {
    return ServerModule.builder(ROUTE).secureKey(SecureTestClient.KEY_HEX);
  }

  /** A client with a session on {@code harness}, whose module holds {@link SecureTestClient#KEY_HEX}. */
  private static SecureTestClient connect(ServerHarness harness) {
    return SecureTestClient.connect(harness, ROUTE);
  }

  @Test
  void handshakeToAPlainModuleGets415WithAcceptPost() {
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE))) {
      byte[] msg1 = ClientHandshake.start(SecureKey.parse(SecureTestClient.KEY_HEX), ROUTE).message1();
      SecureTestClient.Raw answer = SecureTestClient.post(harness.url(), SecureTestClient.HANDSHAKE, msg1, Map.of(), "Accept-Post");
      assertEquals(415, answer.status());
      assertEquals("application/json", answer.header());
    }
  }

  @Test
  void sealedBodyToAPlainModuleGets415() {
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE))) {
      SecureTestClient.Raw answer = SecureTestClient.post(harness.url(), SecureTestClient.SEALED, new byte[64],
          Map.of(ServerModule.SESSION_HEADER, "AAAAAAAAAAAAAAAAAAAAAA"), null);
      assertEquals(415, answer.status());
      assertEquals(0, runs.get());
    }
  }

  @Test
  void nonForcingEncryptingModuleServesPlainAndEncryptedCalls() {
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE).encryptionKey(32).allowUnauthenticated(true))) {
      assertEquals("ok", harness.post(SMALL).json().get("result").asText());
      SecureTestClient client = SecureTestClient.connect(harness.url(), ROUTE, SecureKey.none());
      assertEquals("ok", ServerHarness.tree(client.call(SMALL)).get("result").asText());
      assertEquals(2, runs.get());
    }
  }

  @Test
  void plainCallNamingAnEncryptedSessionDoesNotReachIt() {
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE).encryptionKey(32).allowUnauthenticated(true))) {
      SecureTestClient client = SecureTestClient.connect(harness.url(), ROUTE, SecureKey.none());
      ServerHarness.Answer plain = harness.post(WHOAMI, Map.of(ServerModule.SESSION_HEADER, client.sid()));
      assertNotEquals(client.sid(), plain.json().get("result").asText());
      assertEquals(plain.session(), plain.json().get("result").asText(), "a new plain session was created instead");
    }
  }

  @Test
  void secureKeyIdSelectsTheKeyClientsMustName() {
    try (ServerHarness harness = serve(encrypted().secureKeyId(3))) {
      SecureKey key = SecureKey.parse(SecureTestClient.KEY_HEX);
      SecureTestClient client = SecureTestClient.connect(harness.url(), ROUTE, key.withKeyId(3));
      assertEquals("ok", ServerHarness.tree(client.call(SMALL)).get("result").asText());
      byte[] msg1 = ClientHandshake.start(key, ROUTE).message1();
      assertEquals(403, SecureTestClient.handshake(harness.url(), msg1).status());
    }
  }

  @Test
  void duringARotationBothKeysWorkAndRejectsVerifyUnderEither() {
    SecureKey oldKey = SecureKey.parse(SecureTestClient.KEY_HEX).withKeyId(1);
    SecureKey newKey = SecureKey.parse(SecureTestClient.OTHER_KEY_HEX).withKeyId(2);
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE).secureKeys(oldKey, newKey))) {
      SecureTestClient first = SecureTestClient.connect(harness.url(), ROUTE, oldKey);
      SecureTestClient second = SecureTestClient.connect(harness.url(), ROUTE, newKey);
      harness.module.sessions().invalidateAll();
      for (SecureTestClient client : List.of(first, second)) {
        SecureTestClient.Call call = client.seal(SMALL, false);
        assertEquals(RejectCheck.VERIFIED, client.assertGone(call, client.send(call)));
      }
    }
  }

  @Test
  void compressingModuleDeflatesLargeSealedAnswers() {
    try (ServerHarness harness = serve(encrypted().compression(Compression.FAST))) {
      SecureTestClient client = connect(harness);
      SecureTestClient.Call call = client.seal(BIG, false);
      byte[] plaintext = client.openPlaintext(call, client.send(call));
      assertEquals(1, plaintext[0]);
      assertTrue(plaintext.length < 400, "compressed to " + plaintext.length + " bytes");
      assertEquals("parley ".repeat(200), ServerHarness.tree(SecureTestClient.json(plaintext)).get("result").asText());
    }
  }

  @Test
  void compressingModuleSendsSmallSealedAnswersUncompressed() {
    try (ServerHarness harness = serve(encrypted().compression(Compression.MAX))) {
      SecureTestClient client = connect(harness);
      SecureTestClient.Call call = client.seal(SMALL, false);
      assertEquals(0, client.openPlaintext(call, client.send(call))[0]);
    }
  }

  private static Response plain(ServerHarness harness, String json, String acceptEncoding) throws IOException {
    Request request = new Request.Builder().url(harness.url())
        .header("Accept-Encoding", acceptEncoding)
        .post(RequestBody.create(json, ServerHarness.JSON)).build();
    return ServerHarness.HTTP.newCall(request).execute();
  }

  @Test
  void compressingModuleGzipsLargePlainAnswersWhenAccepted() throws IOException {
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE).compression(Compression.DEFAULT));
        Response response = plain(harness, BIG, "gzip")) {
      assertEquals("gzip", response.header("Content-Encoding"));
      byte[] body = response.body().bytes();
      String json = new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8);
      assertEquals("parley ".repeat(200), ServerHarness.tree(json).get("result").asText());
    }
  }

  @Test
  void plainAnswersAreNotGzippedWithoutAcceptEncoding() throws IOException {
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE).compression(Compression.DEFAULT));
        Response response = plain(harness, BIG, "identity")) {
      assertNull(response.header("Content-Encoding"));
    }
  }

  @Test
  void plainAnswersAreNotGzippedWhenCompressionIsNone() throws IOException {
    try (ServerHarness harness = serve(ServerModule.builder(ROUTE));
        Response response = plain(harness, BIG, "gzip")) {
      assertNull(response.header("Content-Encoding"));
    }
  }

  /** A clock a test moves by hand. */
  private static final class HandClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void sessionPastItsMaximumAgeGetsAVerifiable410AndRunsNothing() {
    HandClock clock = new HandClock();
    try (ServerHarness harness = serve(encrypted().clock(clock)
        .autoSessionsLive(Duration.ofDays(2)))) {
      SecureTestClient client = connect(harness);
      clock.now.set(clock.instant().plus(Duration.ofHours(25)));
      SecureTestClient.Call call = client.seal(SMALL, false);
      assertEquals(RejectCheck.VERIFIED, client.assertGone(call, client.send(call)));
      assertEquals(0, runs.get());
      assertNull(harness.module.sessions().get(client.sid()), "the used-up session was removed");
    }
  }

  @Test
  void answerThatCannotBeSealedGetsAnUnverifiable410AndTheSessionEnds() {
    HandClock clock = new HandClock();
    HandWrittenFunctions slow = new HandWrittenFunctions("test.Slow").fn("ageing", List.of(), (a, s) -> {
      runs.incrementAndGet();
      clock.now.set(clock.instant().plus(Duration.ofHours(25)));   // the session ages while it runs
      return "done";
    });
    try (ServerHarness harness = new ServerHarness(ServerModule.builder(ROUTE).functions(slow)
        .secureKey(SecureTestClient.KEY_HEX).clock(clock).autoSessionsLive(Duration.ofDays(2)).build())) {
      SecureTestClient client = connect(harness);
      SecureTestClient.Call call = client.seal("{\"jsonrpc\":\"2.0\",\"method\":\"ageing\",\"id\":1}", false);
      SecureTestClient.Raw answer = client.send(call);
      assertEquals(410, answer.status());
      assertEquals(0, answer.body().length);
      assertTrue(!client.rejectVerifies(call, answer), "the call ran: the 410 must not claim otherwise");
      assertEquals(1, runs.get());
      assertNull(harness.module.sessions().get(client.sid()));
    }
  }

  @Test
  void msg3AfterTheTokenExpiredGets403() throws Exception {
    HandClock clock = new HandClock();
    try (ServerHarness harness = serve(encrypted().clock(clock))) {
      ClientHandshake handshake = ClientHandshake.start(SecureKey.parse(SecureTestClient.KEY_HEX), ROUTE);
      SecureTestClient.Raw msg2 = SecureTestClient.handshake(harness.url(), handshake.message1());
      assertEquals(200, msg2.status());
      clock.now.set(clock.instant().plus(Duration.ofSeconds(31)));
      SecureTestClient.Raw answer = SecureTestClient.handshake(harness.url(), handshake.message3(msg2.body()));
      assertEquals(403, answer.status());
      assertEquals("handshake rejected\n", answer.text());
      assertEquals(0, harness.module.sessions().size());
    }
  }
}
