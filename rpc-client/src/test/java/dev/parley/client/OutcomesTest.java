package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureKey;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the client does when it cannot reach the server, when the server is stopping, and what it
 * concludes from each answer (docs/CLIENT.md "Outcomes and re-sends", "Lost sessions").
 */
class OutcomesTest {
  private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final Map<String, Integer> ADD = Map.of("a", 1, "b", 2);

  @RegisterExtension
  final Closer closer = new Closer();
  private final CountDownLatch refused = new CountDownLatch(1);
  private final ClientListener listener = new ClientListener() {
    @Override
    public void onConnectionLost(IOException e) {
      refused.countDown();
    }
  };

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aPlainCallStartedWhileTheServerIsDownWaitsAndRunsOnceItIsUp() throws Exception {
    int port = freePort();
    ClientModule calc = closer.track(ClientModule.builder("http://127.0.0.1:" + port + "/calc").listener(listener).build());
    CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> calc.call("add", ADD, Integer.class));
    assertTrue(refused.await(30, TimeUnit.SECONDS), "the call met a refused connection");
    FakeServer server = closer.track(new FakeServer(port));
    server.result("3");
    assertEquals(3, call.get(30, TimeUnit.SECONDS));
    assertEquals(1, server.requestCount(), "sent once, when the server was up");
  }

  @Test
  void anAsyncCallStartedWhileTheServerIsDownWaitsAndRunsOnceItIsUp() throws Exception {
    int port = freePort();
    ClientModule calc = closer.track(ClientModule.builder("http://127.0.0.1:" + port + "/calc").listener(listener).build());
    CompletableFuture<Integer> call = calc.callAsync("add", ADD, Integer.class);
    assertTrue(refused.await(30, TimeUnit.SECONDS));
    FakeServer server = closer.track(new FakeServer(port));
    server.result("3");
    assertEquals(3, call.get(30, TimeUnit.SECONDS));
    assertEquals(1, server.requestCount());
  }

  @Test
  void anEncryptedCallStartedWhileTheRestartedServerIsDownRunsOnceOnANewSession() throws Exception {
    SecureTestServer first = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true));
    ClientModule calc = closer.track(ClientModule.builder(first.url()).secureKey(KEY_HEX).listener(listener).build());
    assertEquals(3, calc.call("add", ADD, Integer.class));
    first.close();
    CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> calc.call("add", Map.of("a", 3, "b", 4), Integer.class));
    assertTrue(refused.await(30, TimeUnit.SECONDS));
    SecureTestServer second = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true, first.port()));

    assertEquals(7, call.get(30, TimeUnit.SECONDS));

    assertEquals(1, second.runs("add"));
    assertTrue(calc.probes() >= 1, "the session was checked with a ping (more than one while the server was still down)");
    assertEquals(1, second.msg1.get(), "the new server's reject of the ping led to one new handshake");
    assertEquals(2, second.sealed.get(), "the ping and the call: the call itself was never sealed under the old session");
  }

  @Test
  void aPlainModuleThatIsStoppingIsTriedAgainAndTheCallRunsOnce() throws Exception {
    FakeServer server = closer.track(new FakeServer());
    AtomicInteger answered = new AtomicInteger();
    server.responder = (r, request, response, callback) -> {
      if (answered.getAndIncrement() == 0) {
        response.getHeaders().put(HttpBinding.DRAINING_HEADER, "1");
        FakeServer.answer(response, callback, 503, "text/plain", "draining");
      } else {
        FakeServer.answer(response, callback, 200, "application/json",
            "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":" + r.json().get("id") + "}");
      }
    };
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).build());
    assertEquals(3, calc.call("add", ADD, Integer.class));
    assertEquals(2, server.requestCount());
  }

  @Test
  void aPlain503WithoutTheDrainingHeaderIsNotTriedAgainAndItsOutcomeIsUnknown() throws Exception {
    FakeServer server = closer.track(new FakeServer());
    server.always(503, "text/plain", "busy");
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).build());
    dev.parley.TransportException e = assertThrows(dev.parley.TransportException.class,
        () -> calc.call("add", ADD, Integer.class));
    assertEquals(CallOutcome.UNKNOWN, e.outcome());
    assertTrue(e.getMessage().contains("whether it ran is unknown"), e.getMessage());
    assertEquals(1, server.requestCount());
  }

  @Test
  void theAuthenticatedDrainingAnswerSendsTheCallAgainOnANewSession() throws Exception {
    SecureTestServer server = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true));
    ClientModule calc = closer.track(ClientModule.builder(server.url()).secureKey(KEY_HEX).build());
    assertEquals(3, calc.call("add", ADD, Integer.class));
    server.drainingSealed = true;
    CompletableFuture<Integer> call = calc.callAsync("add", Map.of("a", 3, "b", 4), Integer.class);
    assertTrue(server.drained.await(30, TimeUnit.SECONDS));
    server.drainingSealed = false;   // the server is back (or another node answers)

    assertEquals(7, call.get(30, TimeUnit.SECONDS));

    assertEquals(2, server.runs("add"), "each call ran once");
    assertEquals(2, server.msg1.get(), "the draining answer dropped the session");
  }

  @Test
  void aVerifiedRejectThatArrivesTooLateProvesNothing() throws Exception {
    SecureTestServer server = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true));
    ClientModule calc = closer.track(ClientModule.builder(server.url()).secureKey(KEY_HEX).build());
    assertEquals(3, calc.call("add", ADD, Integer.class));
    calc.rejectHorizon(Duration.ZERO);   // every reject now comes "too late"
    server.forgetSessions();

    SessionLostException e = assertThrows(SessionLostException.class, () -> calc.call("add", ADD, Integer.class));

    assertEquals(CallOutcome.UNKNOWN, e.outcome());
    assertTrue(e.getMessage().contains("after the call was sealed"), e.getMessage());
    assertEquals(1, server.runs("add"));
  }

  @Test
  void aSessionIdleLongerThanProbeAfterIdleIsPingedBeforeTheNextCall() throws Exception {
    SecureTestServer server = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true));
    ClientModule calc = closer.track(ClientModule.builder(server.url()).secureKey(KEY_HEX)
        .probeAfterIdle(Duration.ofNanos(1)).build());
    assertEquals(3, calc.call("add", ADD, Integer.class));
    assertEquals(3, calc.call("add", ADD, Integer.class));
    assertEquals(1, server.msg1.get());
    assertEquals(server.pings.get(), calc.probes());
    assertTrue(calc.probes() >= 1, "the second call found the session idle and pinged first");
  }

  @Test
  void aSessionInUseIsNotPinged() throws Exception {
    SecureTestServer server = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true));
    ClientModule calc = closer.track(ClientModule.builder(server.url()).secureKey(KEY_HEX)
        .probeAfterIdle(Duration.ofHours(1)).build());
    for (int i = 0; i < 5; i++) {
      assertEquals(3, calc.call("add", ADD, Integer.class));
    }
    assertEquals(0, calc.probes());
    assertEquals(0, server.pings.get());
  }

  @Test
  void aHandshakeThatCannotConnectFailsAsNotRunWhenTheCallTimeoutRunsOut() throws Exception {
    int port = freePort();
    ClientModule calc = closer.track(ClientModule.builder("http://127.0.0.1:" + port + "/calc").secureKey(KEY_HEX)
        .callTimeout(Duration.ofMillis(200)).build());
    dev.parley.RpcTimeoutException e = assertThrows(dev.parley.RpcTimeoutException.class,
        () -> calc.call("add", ADD, Integer.class));
    assertEquals(CallOutcome.NOT_RUN, e.outcome());
    assertTrue(e.getMessage().contains("it did not run"), e.getMessage());
  }
}
