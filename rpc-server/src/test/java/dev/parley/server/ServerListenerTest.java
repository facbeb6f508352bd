package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.Session;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.SecureKey;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ServerListener} events of an encrypting module, over a real Jetty and a real OkHttp client. */
class ServerListenerTest {
  private static final String ROUTE = "/secure";
  private static final String ADD = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";
  private static final String LOGOUT = "{\"jsonrpc\":\"2.0\",\"method\":\"logout\",\"id\":2}";

  /** Every event as one line of text, in order. */
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> sessionCallbacks = new CopyOnWriteArrayList<>();
  private ServerHarness harness;

  private final ServerListener recorder = new ServerListener() {
    @Override
    public void onHandshakeCompleted(String module) {
      events.add("handshake completed on " + module);
    }

    @Override
    public void onHandshakeRejected(String module, Rejection reason) {
      events.add("handshake rejected on " + module + ": " + reason);
    }

    @Override
    public void onFrameRejected(String module, Rejection reason) {
      events.add("frame rejected on " + module + ": " + reason);
    }

    @Override
    public void onSessionOpened(String module, Session session, boolean encrypted) {
      events.add("session opened on " + module + (encrypted ? ", encrypted" : ", plain"));
    }

    @Override
    public void onSessionClosed(String module, Session session, boolean encrypted) {
      events.add("session closed on " + module + (encrypted ? ", encrypted" : ", plain"));
    }
  };

  /** A listener that fails every event: it must change no answer and hide no event from the others. */
  private final ServerListener broken = new ServerListener() {
    @Override
    public void onHandshakeCompleted(String module) {
      throw new IllegalStateException("broken listener");
    }

    @Override
    public void onFrameRejected(String module, Rejection reason) {
      throw new IllegalStateException("broken listener");
    }

    @Override
    public void onSessionOpened(String module, Session session, boolean encrypted) {
      throw new IllegalStateException("broken listener");
    }
  };

  @BeforeEach
  void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Secure")
        .add()
        .logout("bye");
    harness = new ServerHarness(ServerModule.builder(ROUTE)
        .functions(functions)
        .secureKey(SecureTestClient.KEY_HEX)
        .onSessionOpen(s -> sessionCallbacks.add("open"))
        .onSessionClose(s -> sessionCallbacks.add("close"))
        .listeners(broken)
        .listeners(recorder)
        .ticker(new FakeTicker())
        .sessionExecutor(Runnable::run)
        .build());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void completedHandshakeReportsTheHandshakeAndTheEncryptedSession() {
    SecureTestClient.connect(harness, ROUTE);
    assertEquals(List.of("session opened on /secure, encrypted", "handshake completed on /secure"), events);
  }

  @Test
  void builderSessionListenersStillRunBeforeTheServerListeners() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    client.call(LOGOUT);
    assertEquals(List.of("open", "close"), sessionCallbacks);
    assertEquals("session closed on /secure, encrypted", events.get(events.size() - 1));
  }

  /** Posts {@code message}: it is answered 403 and reported, alone, as a handshake rejected for {@code reason}. */
  private void assertHandshakeRejected(byte[] message, String reason) {
    assertEquals(403, SecureTestClient.handshake(harness.url(), message).status());
    assertEquals(List.of("handshake rejected on /secure: " + reason), events);
  }

  @Test
  void handshakeUnderAnotherSecureKeyIsReportedAsAuthentication() {
    ClientHandshake wrong = ClientHandshake.start(SecureKey.parse(SecureTestClient.OTHER_KEY_HEX), ROUTE, 32,
        new SecureRandom());
    assertHandshakeRejected(wrong.message1(), "AUTHENTICATION");
  }

  @Test
  void replayedMessage3IsReportedAsReplayed() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    events.clear();
    assertHandshakeRejected(client.msg3, "REPLAYED");
  }

  @Test
  void tamperedFrameIsReportedAsAuthenticationAndTheCallStillRuns() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    events.clear();
    SecureTestClient.Call call = client.seal(ADD, false);
    byte[] tampered = call.tamperedFrame();
    assertEquals(400, client.send(tampered, client.sid()).status());
    assertEquals(List.of("frame rejected on /secure: AUTHENTICATION"), events);
    assertEquals(3, ServerHarness.tree(client.open(call, client.send(call))).get("result").asInt());
  }

  @Test
  void replayedFrameIsReportedAsReplayed() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    events.clear();
    SecureTestClient.Call call = client.seal(ADD, false);
    assertEquals(200, client.send(call).status());
    assertEquals(400, client.send(call).status());
    assertEquals(List.of("frame rejected on /secure: REPLAYED"), events);
  }

  @Test
  void frameOfAClosedSessionIsReportedAsUnknownSession() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    client.call(LOGOUT);
    events.clear();
    assertEquals(410, client.send(client.seal(ADD, false)).status());
    assertEquals(List.of("frame rejected on /secure: UNKNOWN_SESSION"), events);
  }

  @Test
  void frameWithoutASessionHeaderIsReportedAsSessionHeader() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    events.clear();
    assertEquals(400, client.sendWithSessionHeaders(client.seal(ADD, false), List.of()).status());
    assertEquals(List.of("frame rejected on /secure: SESSION_HEADER"), events);
  }

  @Test
  void bodyThatIsNoFrameIsReportedAsMalformed() {
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    events.clear();
    assertEquals(400, client.send(new byte[] {1, 2, 3}, client.sid()).status());
    assertEquals(List.of("frame rejected on /secure: MALFORMED"), events);
  }

  @Test
  void listenerThatThrowsChangesNoAnswerAndHidesNoEventFromTheNextListener() {
    // `broken` is registered first and throws on the handshake, the session and every frame event.
    SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
    SecureTestClient.Call call = client.seal(ADD, false);
    byte[] tampered = call.tamperedFrame();
    assertEquals(400, client.send(tampered, client.sid()).status());
    assertEquals(List.of("session opened on /secure, encrypted", "handshake completed on /secure",
        "frame rejected on /secure: AUTHENTICATION"), events);
  }

  @Test
  void plainSessionIsReportedAsNotEncrypted() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Plain").fn("whoami", List.of(), (a, s) -> s.id());
    try (ServerHarness plain = new ServerHarness(ServerModule.builder("/plain").functions(functions)
        .listeners(recorder).sessionExecutor(Runnable::run).build())) {
      assertEquals(200, plain.post("{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":1}").status());
    }
    assertEquals("session opened on /plain, plain", events.get(0));
  }
}
