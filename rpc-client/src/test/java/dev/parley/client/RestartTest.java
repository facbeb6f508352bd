package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.TransportException;
import dev.parley.client.internal.RequestNotSentException;
import dev.parley.crypto.SecureKey;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server restart on the same port: the client's pooled keep-alive connection is dead, the probe
 * finds that out before the request is written, and any call — not only idempotent ones — goes once
 * more on a new connection. A connection that fails after the request was written is still not
 * retried for a non-idempotent call.
 */
class RestartTest {
  private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  @RegisterExtension
  final Closer closer = new Closer();
  private final List<IOException> lost = new CopyOnWriteArrayList<>();
  private final ClientListener listener = new ClientListener() {
    @Override
    public void onConnectionLost(IOException e) {
      lost.add(e);
    }
  };

  private FakeServer answering3(int port) throws Exception {
    FakeServer server = closer.track(new FakeServer(port));
    server.result("3");
    return server;
  }

  /** Stops {@code old} (its idle connections are closed) and starts a new server on its port. */
  private FakeServer restart(FakeServer old) throws Exception {
    old.close();
    return answering3(old.port());
  }

  private void assertTheProbeCaughtIt() {
    assertEquals(1, lost.size(), "one connection found closed: " + lost);
    assertInstanceOf(RequestNotSentException.class, lost.get(0));
  }

  /** The second server got the call once, and the probe found the old connection closed first. */
  private void assertSentOnceAndTheProbeCaughtIt(FakeServer second) {
    assertEquals(1, second.requestCount());
    assertTheProbeCaughtIt();
  }

  /** A client that called a first server once, and the second server now on that server's port. */
  private record Restarted(ClientModule calc, FakeServer second) {}

  /** {@code add} through {@link ClientModule#call}. */
  private static int add(ClientModule calc) {
    return calc.call("add", null, Integer.class);
  }

  /** {@code add} through {@link ClientModule#callAsync}. */
  private static int addAsync(ClientModule calc) {
    return calc.callAsync("add", null, Integer.class).join();
  }

  /**
   * Starts a server that answers 3, calls it once through {@code add} (which leaves a pooled
   * connection to it) and restarts it on the same port.
   */
  private Restarted restartAfterOneCall(ToIntFunction<ClientModule> add) throws Exception {
    FakeServer first = answering3(0);
    ClientModule calc = closer.track(ClientModule.builder(first.url("/calc")).listener(listener).build());
    assertEquals(3, add.applyAsInt(calc));
    return new Restarted(calc, restart(first));
  }

  @Test
  void nonIdempotentCallAfterARestartSucceedsAndRunsOnce() throws Exception {
    Restarted restarted = restartAfterOneCall(RestartTest::add);
    assertEquals(3, add(restarted.calc()));
    assertSentOnceAndTheProbeCaughtIt(restarted.second());
  }

  @Test
  void nonIdempotentAsyncCallAfterARestartSucceedsAndRunsOnce() throws Exception {
    Restarted restarted = restartAfterOneCall(RestartTest::addAsync);
    assertEquals(3, addAsync(restarted.calc()));
    assertSentOnceAndTheProbeCaughtIt(restarted.second());
  }

  @Test
  void notificationAfterARestartIsDeliveredOnce() throws Exception {
    Restarted restarted = restartAfterOneCall(RestartTest::add);
    restarted.second().always(204, null, null);
    restarted.calc().notify("log", List.of("after restart"));
    assertSentOnceAndTheProbeCaughtIt(restarted.second());
  }

  @Test
  void asyncBatchAfterARestartIsSentOnce() throws Exception {
    Restarted restarted = restartAfterOneCall(RestartTest::add);
    restarted.second().json(r -> "[{\"jsonrpc\":\"2.0\",\"result\":5,\"id\":" + r.json().get(0).get("id") + "}]");
    Batch batch = restarted.calc().batch();
    var sum = batch.call("add", null, Integer.class);
    batch.executeAsync().join();
    assertEquals(5, sum.join());
    assertSentOnceAndTheProbeCaughtIt(restarted.second());
  }

  @Test
  void everyPooledConnectionOfTheOldServerIsDroppedNotJustOne() throws Exception {
    FakeServer first = closer.track(new FakeServer(0));
    java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
    first.responder = (r, request, response, callback) -> {
      both.countDown();
      both.await();   // two calls in flight at once: two pooled connections
      FakeServer.answer(response, callback, 200, "application/json",
          "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":" + r.json().get("id") + "}");
    };
    ClientModule calc = closer.track(ClientModule.builder(first.url("/calc")).listener(listener).build());
    var a = calc.callAsync("add", null, Integer.class);
    var b = calc.callAsync("add", null, Integer.class);
    assertEquals(3, a.join());
    assertEquals(3, b.join());
    FakeServer second = restart(first);
    assertEquals(3, calc.call("add", null, Integer.class));
    assertEquals(3, calc.call("add", null, Integer.class));
    assertEquals(2, second.requestCount());
  }

  @Test
  void nonIdempotentCallWhoseConnectionBreaksAfterSendingIsStillNotRetried() throws Exception {
    Restarted restarted = restartAfterOneCall(RestartTest::add);
    // The new server reads the request, then closes the connection without answering.
    restarted.second().responder = (r, request, response, callback) -> {
      request.getConnectionMetaData().getConnection().getEndPoint().close();
      callback.failed(new IOException("dropped by the test"));
    };
    assertThrows(TransportException.class, () -> add(restarted.calc()));
    assertEquals(1, restarted.second().requestCount(), "the dropped call was not sent a second time");
  }

  @Test
  void encryptedNonIdempotentCallAfterARestartSucceedsAndRunsOnce() throws Exception {
    SecureTestServer first = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true));
    ClientModule calc = closer.track(ClientModule.builder(first.url()).secureKey(KEY_HEX).listener(listener).build());
    assertEquals(3, calc.call("add", Map.of("a", 1, "b", 2), Integer.class));
    first.close();
    SecureTestServer second = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true, first.port()));
    assertEquals(7, calc.call("add", Map.of("a", 3, "b", 4), Integer.class));
    assertEquals(1, second.runs("add"));
    assertTheProbeCaughtIt();
    // the new server never saw the same sealed bytes twice: the call was re-sealed after the 410
    assertEquals(second.frames.size(), second.frames.stream().distinct().count());
  }

  @Test
  void encryptedAsyncCallAfterARestartSucceedsAndRunsOnce() throws Exception {
    SecureTestServer first = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true));
    ClientModule calc = closer.track(ClientModule.builder(first.url()).secureKey(KEY_HEX).listener(listener).build());
    assertEquals(3, calc.callAsync("add", Map.of("a", 1, "b", 2), Integer.class).join());
    first.close();
    SecureTestServer second = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true, first.port()));
    assertEquals(7, calc.callAsync("add", Map.of("a", 3, "b", 4), Integer.class).join());
    assertEquals(1, second.runs("add"));
    assertTheProbeCaughtIt();
  }

  @Test
  void nonIdempotentCallOverH2cAfterARestartSucceedsAndRunsOnce() throws Exception {
    FakeServer first = closer.track(new FakeServer(0, true));
    first.result("3");
    ClientModule calc = closer.track(ClientModule.builder(first.url("/calc")).http2PriorKnowledge(true).listener(listener).build());
    assertEquals(3, calc.call("add", null, Integer.class));
    first.close();
    FakeServer second = closer.track(new FakeServer(first.port(), true));
    second.result("3");
    assertEquals(3, calc.call("add", null, Integer.class));
    assertEquals(1, second.requestCount());
    assertEquals(List.of("HTTP/2.0"), second.versions);
  }

  @Test
  void probeLeavesAHealthyPooledConnectionInUse() throws Exception {
    FakeServer server = answering3(0);
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).listener(listener).build());
    for (int i = 0; i < 20; i++) {
      assertEquals(3, calc.call("add", null, Integer.class));
    }
    assertEquals(20, server.requestCount());
    assertTrue(lost.isEmpty(), "no connection was found closed: " + lost);
  }
}
