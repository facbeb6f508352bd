package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code RpcServer.Builder.http2Cleartext}: h2c with prior knowledge and HTTP/1.1 on one port. */
class Http2CleartextTest {
  private static final OkHttpClient H2 = ServerHarness.HTTP.newBuilder()
      .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private RpcServer server(boolean h2c) {
    ServerModule module = ServerModule.builder("/calc")
        .functions(new HandWrittenFunctions("test.Calc")
            .add())
        .build();
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).http2Cleartext(h2c).module(module).build().start();
    open.add(server);
    return server;
  }

  private static Request add(RpcServer server, int a, int b, int id) {
    String json = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":" + a + ",\"b\":" + b + "},\"id\":" + id + "}";
    return new Request.Builder().url(server.uri() + "/calc").post(RequestBody.create(json, ServerHarness.JSON)).build();
  }

  @Test
  void aPriorKnowledgeClientCallsOverHttp2() throws IOException {
    RpcServer server = server(true);
    try (Response response = H2.newCall(add(server, 1, 2, 1)).execute()) {
      assertEquals(Protocol.H2_PRIOR_KNOWLEDGE, response.protocol());
      assertEquals(200, response.code());
      assertEquals(3, ServerHarness.tree(response.body().string()).get("result").asInt());
    }
  }

  @Test
  void theSamePortStillServesHttp11() throws IOException {
    RpcServer server = server(true);
    try (Response response = ServerHarness.HTTP.newCall(add(server, 1, 2, 1)).execute()) {
      assertEquals(Protocol.HTTP_1_1, response.protocol());
      assertEquals(3, ServerHarness.tree(response.body().string()).get("result").asInt());
    }
  }

  @Test
  void withoutTheOptionAPriorKnowledgeClientIsRefused() {
    RpcServer server = server(false);
    assertThrows(IOException.class, () -> H2.newCall(add(server, 1, 2, 1)).execute().close());
  }

  @Test
  void manyConcurrentCallsShareOneHttp2ConnectionAndGetTheirOwnAnswers() throws Exception {
    RpcServer server = server(true);
    Set<Connection> connections = ConcurrentHashMap.newKeySet();
    OkHttpClient client = H2.newBuilder().eventListener(new EventListener() {
      @Override
      public void connectionAcquired(okhttp3.Call call, Connection connection) {
        connections.add(connection);
      }
    }).build();
    // One connection first, so the concurrent calls below find it instead of racing to open their own.
    try (Response first = client.newCall(add(server, 0, 0, 0)).execute()) {
      assertEquals(200, first.code());
    }
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 1; i <= 400; i++) {
        int n = i;
        results.add(CompletableFuture.supplyAsync(() -> {
          try (Response response = client.newCall(add(server, n, 1000, n)).execute()) {
            var json = ServerHarness.tree(response.body().string());
            assertEquals(n, json.get("id").asInt());
            return json.get("result").asInt();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, callers));
      }
      for (int i = 1; i <= 400; i++) {
        assertEquals(i + 1000, results.get(i - 1).join());
      }
    } finally {
      callers.shutdown();
    }
    assertEquals(1, connections.size(), "every call used the one HTTP/2 connection");
  }

  @Test
  void gracefulStopLetsAnInFlightHttp2CallFinish() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    ServerModule module = ServerModule.builder("/slow")
        .functions(new HandWrittenFunctions("test.Slow").fn("slow", List.of(), (a, s) -> {
          entered.countDown();
          return result;
        }))
        .build();
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).http2Cleartext(true).module(module).build().start();
    open.add(server);
    java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);
    server.jetty().addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
      @Override
      public void lifeCycleStopping(org.eclipse.jetty.util.component.LifeCycle event) {
        stopping.countDown();
      }
    });
    Request slow = new Request.Builder().url(server.uri() + "/slow")
        .post(RequestBody.create("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":1}", ServerHarness.JSON)).build();
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
      try (Response response = H2.newCall(slow).execute()) {
        assertEquals(Protocol.H2_PRIOR_KNOWLEDGE, response.protocol());
        return ServerHarness.tree(response.body().string()).get("result").asText();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertTrue(entered.await(30, java.util.concurrent.TimeUnit.SECONDS));
    CompletableFuture<Void> stop = CompletableFuture.runAsync(server::stop);
    assertTrue(stopping.await(30, java.util.concurrent.TimeUnit.SECONDS));
    result.complete("finished");
    assertEquals("finished", call.get(30, java.util.concurrent.TimeUnit.SECONDS));
    stop.get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void toStringShowsTheProtocols() {
    assertTrue(server(true).toString().contains("h2c"));
    assertTrue(server(true).http2Cleartext());
  }
}
