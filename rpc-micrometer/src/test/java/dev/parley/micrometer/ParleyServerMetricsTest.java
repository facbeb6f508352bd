package dev.parley.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.Session;
import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.server.ServerListener;
import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import dev.parley.testing.TestKey;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Exact meter values after known calls: a real Jetty (rpc-testing's ParleyServer) and real OkHttp
 * clients, the metrics in a {@link SimpleMeterRegistry}.
 */
class ParleyServerMetricsTest {
  private static final String PATH = "/shop";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ParleyServerMetrics metrics = ParleyServerMetrics.of(registry);

  private ParleyServer.Builder server() {
    return ParleyServer.builder()
        .module(metrics.instrument(ServerModule.builder(PATH).functions(new ShopFunctions(new ShopImpl()))));
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private Timer calls(String function, String outcome) {
    return registry.get("parley.server.calls").tags("module", PATH, "function", function, "outcome", outcome).timer();
  }

  @Test
  void threeGoodCallsAndOneFailingCallAreCountedByOutcomeAndCode() {
    try (ParleyServer rpc = server().build().start()) {
      ShopCalls.threeGoodAndOneRefused(new ShopClient(rpc.client(PATH)));
    }
    assertEquals(3, calls("add", "success").count());
    assertEquals(1, calls("refuse", "error").count());
    assertEquals(1, count("parley.server.errors", "module", PATH, "function", "refuse", "code", "4000"));
    assertNull(registry.find("parley.server.errors").tags("function", "add").counter());
    assertNull(registry.find("parley.server.calls").tags("function", "refuse", "outcome", "success").timer());
  }

  /** Whether each meter asked for a percentile histogram, as the registry's filters see it. */
  private final Map<String, Boolean> histograms = new ConcurrentHashMap<>();

  private void recordHistogramRequests() {
    // SimpleMeterRegistry keeps no percentile buckets (Prometheus' registry does): what the meter
    // asks the registry for is what a filter is shown.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        histograms.put(id.getName(), Boolean.TRUE.equals(config.isPercentileHistogram()));
        return config;
      }
    });
  }

  @Test
  void callTimerAsksForAPercentileHistogram() {
    recordHistogramRequests();
    try (ParleyServer rpc = server().build().start()) {
      new ShopClient(rpc.client(PATH)).add(1, 2);
    }
    assertEquals(true, histograms.get("parley.server.calls"));
  }

  @Test
  void histogramCanBeTurnedOff() {
    recordHistogramRequests();
    ParleyServerMetrics plain = ParleyServerMetrics.builder(registry).percentileHistogram(false).build();
    try (ParleyServer rpc = ParleyServer.builder()
        .module(plain.instrument(ServerModule.builder(PATH).functions(new ShopFunctions(new ShopImpl()))))
        .build().start()) {
      new ShopClient(rpc.client(PATH)).add(1, 2);
    }
    assertEquals(false, histograms.get("parley.server.calls"));
  }

  @Test
  void requestAndResponseSizesAreRecordedPerCall() {
    try (ParleyServer rpc = server().build().start()) {
      ShopClient shop = new ShopClient(rpc.client(PATH));
      shop.add(1, 2);
      shop.add(2, 3);
    }
    assertEquals(2, registry.get("parley.server.request.size").tags("module", PATH, "function", "add").summary().count());
    assertEquals(2, registry.get("parley.server.response.size").tags("module", PATH, "function", "add").summary().count());
  }

  @Test
  void handshakesAndLiveSessionsFollowTheEncryptedSessions() throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    // Listeners run in the order added: this one after the metrics' own, on the session store's thread.
    ServerListener afterMetrics = new ServerListener() {
      @Override
      public void onSessionClosed(String module, Session session, boolean encrypted) {
        closed.countDown();
      }
    };
    try (ParleyServer rpc = ParleyServer.builder()
        .module(metrics.instrument(ServerModule.builder(PATH).functions(new ShopFunctions(new ShopImpl())))
            .listeners(afterMetrics))
        .encrypted().build().start()) {
      ShopClient shop = new ShopClient(rpc.client(PATH));
      assertEquals(3, shop.add(1, 2));
      assertEquals(1, count("parley.server.handshakes", "module", PATH));
      assertEquals(1, registry.get("parley.server.sessions").tags("module", PATH).gauge().value());
      shop.logout();
      assertTrue(closed.await(30, TimeUnit.SECONDS), "the session was not closed");
      assertEquals(0, registry.get("parley.server.sessions").tags("module", PATH).gauge().value());
    }
  }

  @Test
  void tamperedFrameIsCountedAsAnAuthenticationReject() {
    AtomicBoolean tamper = new AtomicBoolean();
    // A real OkHttp interceptor on the client's own connection: it flips one ciphertext bit of the
    // next sealed request body on its way to the server.
    OkHttpClient tampering = new OkHttpClient.Builder().addInterceptor(chain -> {
      Request request = chain.request();
      RequestBody body = request.body();
      if (body == null || !tamper.getAndSet(false)) {
        return chain.proceed(request);
      }
      Buffer buffer = new Buffer();
      body.writeTo(buffer);
      byte[] frame = buffer.readByteArray();
      frame[frame.length - 20] ^= 1;
      MediaType type = body.contentType();
      return chain.proceed(request.newBuilder().post(RequestBody.create(frame, type)).build());
    }).build();
    try (ParleyServer rpc = server().encrypted().build().start()) {
      ClientModule client = rpc.client(PATH, b -> b.okHttpClient(tampering));
      ShopClient shop = new ShopClient(client);
      assertEquals(3, shop.add(1, 2));
      tamper.set(true);
      assertThrows(RuntimeException.class, () -> shop.add(2, 3));
      assertEquals(1, count("parley.server.rejects", "module", PATH, "kind", "frame", "reason", "authentication"));
      assertEquals(1, calls("add", "success").count());   // the tampered call never ran
    }
  }

  @Test
  void handshakeUnderAnotherSecureKeyIsCountedAsAHandshakeReject() {
    try (ParleyServer rpc = server().encrypted().build().start()) {
      try (ClientModule wrong = ClientModule.builder(rpc.url(PATH)).secureKey(TestKey.random().hex()).build()) {
        assertThrows(WrongSecureKeyException.class, () -> new ShopClient(wrong).add(1, 2));
      }
    }
    assertEquals(1, count("parley.server.rejects", "module", PATH, "kind", "handshake", "reason", "authentication"));
    assertNull(registry.find("parley.server.handshakes").counter());
  }

  @Test
  void commonTagsAreOnEveryMeter() {
    ParleyServerMetrics tagged = ParleyServerMetrics.builder(registry).tags("app", "shop").build();
    try (ParleyServer rpc = ParleyServer.builder()
        .module(tagged.instrument(ServerModule.builder(PATH).functions(new ShopFunctions(new ShopImpl()))))
        .encrypted().build().start()) {
      new ShopClient(rpc.client(PATH)).add(1, 2);
    }
    registry.getMeters().forEach(meter -> assertEquals("shop", meter.getId().getTag("app"), meter.getId().toString()));
    assertEquals(1, registry.get("parley.server.calls").tags("app", "shop").timer().count());
  }

  @Test
  void oddTagListIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParleyServerMetrics.builder(registry).tags("app"));
    assertEquals("tags must be name, value pairs; got 1 strings", e.getMessage());
  }
}
