package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientModuleSessionTest {
  private FakeServer server;
  private ClientModule calc;
  /** The session id the server puts on its next answers; null for none. */
  private final AtomicReference<String> issue = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
    server.responder = (r, request, response, callback) -> {
      String sid = issue.get();
      if (sid != null) {
        response.getHeaders().put("Parley-Session", sid);
      }
      FakeServer.answer(response, callback, 200, "application/json",
          "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":" + r.json().get("id") + "}");
    };
    calc = ClientModule.builder(server.url("/calc")).build();
  }

  @AfterEach
  void stop() throws Exception {
    calc.close();
    server.close();
  }

  @Test
  void noSessionIsSentBeforeTheServerIssuesOne() throws Exception {
    calc.call("f", null, Integer.class);
    assertNull(server.received.take().session());
    assertEquals(Optional.empty(), calc.sessionId());
  }

  @Test
  void sessionIdFromAnAnswerIsSentOnTheNextCalls() throws Exception {
    issue.set("s-1");
    calc.call("f", null, Integer.class);
    issue.set(null);
    calc.call("f", null, Integer.class);
    calc.callAsync("f", null, Integer.class).join();
    server.received.take();
    assertEquals("s-1", server.received.take().session());
    assertEquals("s-1", server.received.take().session());
    assertEquals(Optional.of("s-1"), calc.sessionId());
  }

  @Test
  void newSessionIdReplacesTheOldOne() throws Exception {
    issue.set("s-1");
    calc.call("f", null, Integer.class);
    issue.set("s-2");
    calc.call("f", null, Integer.class);
    calc.call("f", null, Integer.class);
    server.received.take();
    assertEquals("s-1", server.received.take().session());
    assertEquals("s-2", server.received.take().session());
  }

  @Test
  void sessionIdIsSentWithNotificationsAndBatches() throws Exception {
    issue.set("s-1");
    calc.call("f", null, Integer.class);
    calc.notify("log", null);
    Batch batch = calc.batch();
    batch.call("f", null, Integer.class);
    batch.execute();
    server.received.take();
    assertEquals("s-1", server.received.take().session());
    assertEquals("s-1", server.received.take().session());
  }

  @Test
  void malformedSessionIdIsIgnored() throws Exception {
    issue.set("s-1");
    calc.call("f", null, Integer.class);
    issue.set("x".repeat(300));
    calc.call("f", null, Integer.class);
    assertEquals(Optional.of("s-1"), calc.sessionId());
  }
}
