package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.TransportException;
import dev.parley.crypto.SecureKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code http2PriorKnowledge}: calls as HTTP/2 streams over one cleartext connection (h2c). */
class Http2PriorKnowledgeTest {
  private static final String KEY_HEX = EncryptedCallTest.KEY_HEX;

  @RegisterExtension
  final Closer closer = new Closer();
  /** The protocol of every exchange the client made, seen by a network interceptor of a shared client. */
  private final List<Protocol> protocols = new CopyOnWriteArrayList<>();
  private final OkHttpClient recording = new OkHttpClient.Builder().addNetworkInterceptor(chain -> {
    protocols.add(chain.connection().protocol());
    return chain.proceed(chain.request());
  }).build();

  @AfterEach
  void stopTheRecordingClient() {
    recording.dispatcher().executorService().shutdown();
    recording.connectionPool().evictAll();
  }

  @Test
  void plainCallGoesOverHttp2() throws Exception {
    FakeServer server = closer.track(new FakeServer(0, true));
    server.result("3");
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).http2PriorKnowledge(true).build());
    assertEquals(3, calc.call("add", Map.of("a", 1, "b", 2), Integer.class));
    assertEquals(List.of("HTTP/2.0"), server.versions);
  }

  @Test
  void aSharedClientIsDerivedWithHttp2AndKeepsItsInterceptors() throws Exception {
    FakeServer server = closer.track(new FakeServer(0, true));
    server.result("3");
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).okHttpClient(recording)
        .http2PriorKnowledge(true).build());
    assertEquals(3, calc.call("add", null, Integer.class));
    assertEquals(List.of(Protocol.H2_PRIOR_KNOWLEDGE), protocols);
    assertEquals(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1), recording.protocols(), "the shared client is unchanged");
  }

  @Test
  void withoutTheOptionCallsStayOnHttp11() throws Exception {
    FakeServer server = closer.track(new FakeServer(0, true));
    server.result("3");
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).okHttpClient(recording).build());
    assertEquals(3, calc.call("add", null, Integer.class));
    assertEquals(List.of(Protocol.HTTP_1_1), protocols);
    assertEquals(List.of("HTTP/1.1"), server.versions);
  }

  @Test
  void encryptedCallGoesOverHttp2() throws Exception {
    SecureTestServer server = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true, 0, true));
    ClientModule calc = closer.track(ClientModule.builder(server.url()).secureKey(KEY_HEX).okHttpClient(recording)
        .http2PriorKnowledge(true).build());
    assertEquals(3, calc.call("add", Map.of("a", 1, "b", 2), Integer.class));
    assertEquals(7, calc.callAsync("add", Map.of("a", 3, "b", 4), Integer.class).join());
    assertEquals(4, protocols.size(), "msg1, msg3 and two sealed calls: " + protocols);
    assertTrue(protocols.stream().allMatch(p -> p == Protocol.H2_PRIOR_KNOWLEDGE), protocols.toString());
    assertTrue(server.versions.stream().allMatch("HTTP/2.0"::equals), server.versions.toString());
    assertEquals(1, server.connections.size());
  }

  @Test
  void manyConcurrentEncryptedCallsShareOneConnectionAndGetTheirOwnAnswers() throws Exception {
    SecureTestServer server = closer.track(new SecureTestServer(SecureKey.parse(KEY_HEX), true, 0, true));
    ClientModule calc = closer.track(ClientModule.builder(server.url()).secureKey(KEY_HEX).http2PriorKnowledge(true).build());
    assertEquals(0, calc.call("add", Map.of("a", 0, "b", 0), Integer.class));   // handshake, one connection
    ExecutorService callers = Executors.newFixedThreadPool(32);
    try {
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 1; i <= 600; i++) {
        int n = i;
        // half synchronous on 32 threads, half asynchronous on OkHttp's dispatcher
        results.add(n % 2 == 0
            ? CompletableFuture.supplyAsync(() -> calc.call("add", Map.of("a", n, "b", 1000), Integer.class), callers)
            : calc.callAsync("add", Map.of("a", n, "b", 1000), Integer.class));
      }
      for (int i = 1; i <= 600; i++) {
        assertEquals(i + 1000, results.get(i - 1).join());
      }
    } finally {
      callers.shutdown();
    }
    assertEquals(601, server.runs("add"));
    assertEquals(1, server.connections.size(), "every call was a stream on the one HTTP/2 connection");
    assertEquals(1, calc.handshakes());
  }

  @Test
  void manyConcurrentPlainCallsGetTheirOwnAnswers() throws Exception {
    FakeServer server = closer.track(new FakeServer(0, true));
    server.json(r -> "{\"jsonrpc\":\"2.0\",\"result\":" + (r.json().get("params").get("a").asInt() + 1000)
        + ",\"id\":" + r.json().get("id") + "}");
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).http2PriorKnowledge(true).build());
    assertEquals(1000, calc.call("add", Map.of("a", 0), Integer.class));
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 1; i <= 400; i++) {
      results.add(calc.callAsync("add", Map.of("a", i), Integer.class));
    }
    for (int i = 1; i <= 400; i++) {
      assertEquals(i + 1000, results.get(i - 1).join());
    }
    assertEquals(1, server.connections.size());
  }

  @Test
  void aServerWithoutH2cFailsTheCallWithATransportException() throws Exception {
    FakeServer server = closer.track(new FakeServer(0, false));
    server.result("3");
    ClientModule calc = closer.track(ClientModule.builder(server.url("/calc")).http2PriorKnowledge(true).build());
    assertThrows(TransportException.class, () -> calc.call("add", null, Integer.class));
  }

  @Test
  void httpsUrlIsRefusedAtBuild() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("https://example.com/calc").http2PriorKnowledge(true).build());
    assertTrue(e.getMessage().contains("https://"), e.getMessage());
  }

  @Test
  void configKeyTurnsItOn(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("client.yml"), "url: http://127.0.0.1:1/calc\nhttp2PriorKnowledge: true\n");
    try (ClientModule calc = ClientModule.fromConfig(file, Map.of()).build()) {
      assertTrue(calc.settings().contains("http2PriorKnowledge=true"), calc.settings());
    }
    try (ClientModule calc = ClientModule.fromConfig(file, Map.of("PARLEY_HTTP2_PRIOR_KNOWLEDGE", "false")).build()) {
      assertTrue(!calc.settings().contains("http2PriorKnowledge"), calc.settings());
    }
  }
}
