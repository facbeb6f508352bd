package dev.parley.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.RemoteException;
import dev.parley.RpcTimeoutException;
import dev.parley.TransportException;
import dev.parley.client.Batch;
import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.server.ServerModule;
import dev.parley.testing.ManualTicker;
import dev.parley.testing.ParleyServer;
import dev.parley.testing.TestKey;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exact client meter values after known calls to a real Jetty through a real OkHttp client. */
class ParleyClientMetricsTest {
  private static final String PATH = "/shop";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ParleyClientMetrics metrics = ParleyClientMetrics.builder(registry, "shop").build();
  private final ManualTicker ticker = new ManualTicker();
  private final ShopImpl shopImpl = new ShopImpl();

  @AfterEach
  void releaseHangingCalls() {
    shopImpl.release.countDown();
  }

  private ParleyServer.Builder server() {
    return ParleyServer.builder()
        .module(ServerModule.builder(PATH).functions(new ShopFunctions(shopImpl)).autoSessionsLive(Duration.ofMinutes(10)))
        .ticker(ticker);
  }

  private Timer calls(String function, String outcome) {
    return registry.get("parley.client.calls").tags("client", "shop", "function", function, "outcome", outcome).timer();
  }

  private double count(String name) {
    return registry.get(name).tags("client", "shop").counter().count();
  }

  @Test
  void threeGoodCallsAndOneFailingCallAreTimedByOutcomeAndCountedByCode() {
    try (ParleyServer rpc = server().build().start()) {
      ShopCalls.threeGoodAndOneRefused(new ShopClient(rpc.client(PATH, metrics::instrument)));
    }
    assertEquals(3, calls("add", "success").count());
    assertEquals(1, calls("refuse", "error").count());
    assertEquals(1, registry.get("parley.client.errors").tags("client", "shop", "function", "refuse", "code", "4000")
        .counter().count());
    assertNull(registry.find("parley.client.errors").tags("function", "add").counter());
  }

  @Test
  void asynchronousCallsAreRecordedBeforeTheirFutureCompletes() {
    try (ParleyServer rpc = server().build().start()) {
      ShopClient shop = new ShopClient(rpc.client(PATH, metrics::instrument));
      assertEquals(3, shop.addAsync(1, 2).join());
      assertEquals(1, calls("add", "success").count());
      CompletionException failed = assertThrows(CompletionException.class, () -> shop.refuseAsync(4001).join());
      assertEquals(4001, ((RemoteException) failed.getCause()).code());
      assertEquals(1, calls("refuse", "error").count());
      assertEquals(1, registry.get("parley.client.errors").tags("code", "4001").counter().count());
    }
  }

  @Test
  void callsMadeOnTheModuleItselfAreMeasuredButBatchesAreNot() {
    try (ParleyServer rpc = server().build().start()) {
      ClientModule module = rpc.client(PATH, metrics::instrument);
      assertEquals(3, module.call("add", Map.of("a", 1, "b", 2), Integer.class));
      Batch batch = module.batch();
      batch.call("add", Map.of("a", 1, "b", 2), Integer.class);
      batch.call("add", Map.of("a", 2, "b", 2), Integer.class);
      batch.execute();
    }
    assertEquals(1, calls("add", "success").count());   // rpc-client intercepts a batch's attempts, not its calls
    assertEquals(1, registry.find("parley.client.calls").timers().size());
  }

  @Test
  void callThatOutlivesItsTimeoutIsATimeout() {
    try (ParleyServer rpc = server().build().start()) {
      ShopClient shop = new ShopClient(rpc.client(PATH, metrics::instrument)).withTimeout(Duration.ofMillis(200));
      assertThrows(RpcTimeoutException.class, shop::hang);
    }
    assertEquals(1, calls("hang", "timeout").count());
    assertNull(registry.find("parley.client.errors").counter());
  }

  @Test
  void callThatGetsNoJsonRpcAnswerIsATransportFailure() {
    try (ParleyServer rpc = server().build().start();
        ClientModule nowhere = metrics.instrument(ClientModule.builder(rpc.url("/nowhere"))).build()) {   // Jetty: 404
      ShopClient shop = new ShopClient(nowhere);
      assertEquals(404, assertThrows(TransportException.class, () -> shop.add(1, 2)).httpStatus());
    }
    assertEquals(1, calls("add", "transport").count());
    assertNull(registry.find("parley.client.errors").counter());
  }

  @Test
  void encryptedSessionsAreCountedThroughTheListener() {
    try (ParleyServer rpc = server().encrypted().build().start()) {
      ShopClient shop = new ShopClient(rpc.client(PATH, metrics::instrument));
      assertEquals(3, shop.add(1, 2));
      assertEquals(1, count("parley.client.handshakes"));
      ticker.advance(Duration.ofMinutes(11));     // the server forgets the idle session
      assertEquals(5, shop.add(2, 3));            // 410, a new handshake, the call sent again
      assertEquals(1, count("parley.client.sessions.expired"));
      assertEquals(1, count("parley.client.reposts"));
      assertEquals(2, count("parley.client.handshakes"));
      assertEquals(2, calls("add", "success").count());
    }
  }

  @Test
  void handshakeUnderAnotherSecureKeyIsCountedAsARefusal() {
    try (ParleyServer rpc = server().encrypted().build().start();
        ClientModule wrong = metrics.instrument(ClientModule.builder(rpc.url(PATH)).secureKey(TestKey.random().hex()))
            .build()) {
      assertThrows(WrongSecureKeyException.class, () -> new ShopClient(wrong).add(1, 2));
    }
    assertEquals(1, count("parley.client.handshake.refusals"));
    assertEquals(0, count("parley.client.handshakes"));
  }

  @Test
  void blankClientNameIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParleyClientMetrics.builder(registry, " ").build());
    assertEquals("the client's name (its metrics' client tag) must not be blank", e.getMessage());
  }
}
