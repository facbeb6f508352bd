package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClientModuleSessionTest {
  @RegisterExtension
  final FakeCalc fake = new FakeCalc();
  /** The session id the server puts on its next answers; null for none. */
  private final AtomicReference<String> issue = new AtomicReference<>();

  @BeforeEach
  void issueSessionsFromTheServer() {
    fake.server.responder = (r, request, response, callback) -> {
      String sid = issue.get();
      if (sid != null) {
        response.getHeaders().put("Parley-Session", sid);
      }
      FakeServer.answer(response, callback, 200, "application/json",
          "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":" + r.json().get("id") + "}");
    };
  }

  /** The session ids sent with the {@code n} requests that followed the first one. */
  private List<String> sessionsSentAfterTheFirstCall(int n) throws InterruptedException {
    fake.server.received.take();
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sessions.add(fake.server.received.take().session());
    }
    return sessions;
  }

  @Test
  void noSessionIsSentBeforeTheServerIssuesOne() throws Exception {
    fake.calc.call("f", null, Integer.class);
    assertNull(fake.server.received.take().session());
    assertEquals(Optional.empty(), fake.calc.sessionId());
  }

  @Test
  void sessionIdFromAnAnswerIsSentOnTheNextCalls() throws Exception {
    issue.set("s-1");
    fake.calc.call("f", null, Integer.class);
    issue.set(null);
    fake.calc.call("f", null, Integer.class);
    fake.calc.callAsync("f", null, Integer.class).join();
    assertEquals(List.of("s-1", "s-1"), sessionsSentAfterTheFirstCall(2));
    assertEquals(Optional.of("s-1"), fake.calc.sessionId());
  }

  @Test
  void newSessionIdReplacesTheOldOne() throws Exception {
    issue.set("s-1");
    fake.calc.call("f", null, Integer.class);
    issue.set("s-2");
    fake.calc.call("f", null, Integer.class);
    fake.calc.call("f", null, Integer.class);
    assertEquals(List.of("s-1", "s-2"), sessionsSentAfterTheFirstCall(2));
  }

  @Test
  void sessionIdIsSentWithNotificationsAndBatches() throws Exception {
    issue.set("s-1");
    fake.calc.call("f", null, Integer.class);
    fake.calc.notify("log", null);
    Batch batch = fake.calc.batch();
    batch.call("f", null, Integer.class);
    batch.execute();
    assertEquals(List.of("s-1", "s-1"), sessionsSentAfterTheFirstCall(2));
  }

  @Test
  void malformedSessionIdIsIgnored() throws Exception {
    issue.set("s-1");
    fake.calc.call("f", null, Integer.class);
    issue.set("x".repeat(300));
    fake.calc.call("f", null, Integer.class);
    assertEquals(Optional.of("s-1"), fake.calc.sessionId());
  }
}
