package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.Session;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain-module sessions: created lazily, kept by the Parley-Session header, expired by Caffeine. */
class SessionsTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> opened = new CopyOnWriteArrayList<>();
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final List<Object> userAtClose = new CopyOnWriteArrayList<>();
  private ServerHarness harness;

  @BeforeEach
  void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Sessions")
        .fn("ping", List.of(), (a, s) -> "pong")
        .fn("login", List.of("user"), (a, s) -> {
          s.attributes().put("user", a.get(0, "user", String.class));
          return s.id();
        })
        .fn("whoami", List.of(), (a, s) -> s.attribute("user", String.class).orElse("nobody"))
        .logout(null);
    ServerModule module = ServerModule.builder("/sessions")
        .functions(functions)
        .autoSessionsLive(Duration.ofMinutes(10))
        .maxSessions(3)
        .onSessionOpen(s -> opened.add(s.id()))
        .onSessionClose(s -> {
          closed.add(s.id());
          userAtClose.add(s.attributes().getOrDefault("user", "nobody"));
        })
        .ticker(ticker)
        .sessionExecutor(Runnable::run)
        .build();
    harness = new ServerHarness(module);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private ServerHarness.Answer call(String method, String params, String session) {
    String body = "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + ",\"id\":1}";
    return session == null ? harness.post(body) : harness.post(body, Map.of(ServerModule.SESSION_HEADER, session));
  }

  @Test
  void functionWithoutSessionCreatesNone() {
    ServerHarness.Answer answer = call("ping", null, null);
    assertNull(answer.session());
    assertEquals(0, harness.module.sessions().size());
    assertTrue(opened.isEmpty());
  }

  @Test
  void touchingTheSessionCreatesOneAndSendsItsId() {
    ServerHarness.Answer answer = call("login", "[\"ann\"]", null);
    assertNotNull(answer.session());
    assertEquals(answer.session(), answer.json().get("result").asText());
    assertEquals(List.of(answer.session()), opened);
  }

  @Test
  void sessionIdIs128BitsOfBase64Url() {
    String id = call("login", "[\"ann\"]", null).session();
    assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
  }

  @Test
  void sessionIsKeptAcrossCallsThatSendItsId() {
    String id = call("login", "[\"ann\"]", null).session();
    ServerHarness.Answer answer = call("whoami", null, id);
    assertEquals("ann", answer.json().get("result").asText());
    assertNull(answer.session(), "no new session is issued while the sent one is live");
  }

  @Test
  void unknownSessionIdGetsANewSession() {
    ServerHarness.Answer answer = call("whoami", null, "AAAAAAAAAAAAAAAAAAAAAA");
    assertEquals("nobody", answer.json().get("result").asText());
    assertNotNull(answer.session());
    assertNotEquals("AAAAAAAAAAAAAAAAAAAAAA", answer.session());
  }

  @Test
  void malformedSessionIdGetsANewSession() {
    ServerHarness.Answer answer = call("whoami", null, "not a session id");
    assertNotNull(answer.session());
  }

  @Test
  void sessionExpiresAfterAutoSessionsLiveWithoutUse() {
    String id = call("login", "[\"ann\"]", null).session();
    ticker.advance(Duration.ofMinutes(10).plusSeconds(1));
    ServerHarness.Answer answer = call("whoami", null, id);
    assertEquals("nobody", answer.json().get("result").asText());
    assertNotEquals(id, answer.session());
  }

  @Test
  void useKeepsTheSessionAlive() {
    String id = call("login", "[\"ann\"]", null).session();
    ticker.advance(Duration.ofMinutes(9));
    call("ping", null, id);
    ticker.advance(Duration.ofMinutes(9));
    assertEquals("ann", call("whoami", null, id).json().get("result").asText());
  }

  @Test
  void expiryFiresOnSessionCloseWithTheAttributesStillThere() {
    String id = call("login", "[\"ann\"]", null).session();
    ticker.advance(Duration.ofMinutes(11));
    harness.module.sessions().cleanUp();
    assertEquals(List.of(id), closed);
    assertEquals(List.of("ann"), userAtClose);
  }

  @Test
  void invalidateEndsTheSessionAndFiresOnSessionClose() {
    String id = call("login", "[\"ann\"]", null).session();
    call("logout", null, id);
    assertEquals(List.of(id), closed);
    assertEquals("nobody", call("whoami", null, id).json().get("result").asText());
  }

  @Test
  void sessionsBeyondMaxSessionsAreEvictedAndClosed() {
    for (int i = 0; i < 5; i++) {
      call("login", "[\"user" + i + "\"]", null);
    }
    harness.module.sessions().cleanUp();
    assertEquals(5, opened.size());
    assertEquals(2, closed.size());
    assertEquals(3, harness.module.sessions().size());
  }

  @Test
  void batchSharesOneSession() {
    ServerHarness.Answer answer = harness.post("[{\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":[\"bo\"],\"id\":1},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":2}]");
    assertEquals(1, opened.size());
    for (var element : answer.json()) {
      if (element.get("id").asInt() == 2) {
        assertEquals("bo", element.get("result").asText());
      }
    }
  }

  @Test
  void sessionInjectedIntoAFunctionIsValid() {
    Session[] seen = new Session[1];
    ServerModule module = ServerModule.builder("/one")
        .functions(new HandWrittenFunctions("test.One").fn("keep", List.of(), (a, s) -> {
          seen[0] = s;
          return s.isValid();
        }))
        .build();
    try (ServerHarness other = new ServerHarness(module)) {
      ServerHarness.Answer answer = other.post("{\"jsonrpc\":\"2.0\",\"method\":\"keep\",\"id\":1}");
      assertTrue(answer.json().get("result").asBoolean());
      assertNotNull(seen[0].createdAt());
    }
  }
}
