package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;

/** Starting, stopping and restarting servers, and the builders' checks. */
class ServerLifecycleTest {
  private static HandWrittenFunctions ping(String service) {
    return new HandWrittenFunctions(service).fn("ping", List.of(), (a, s) -> "pong");
  }

  private static final String PING = "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}";

  @Test
  void gracefulStopLetsAnInFlightAsyncCallFinish() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    CountDownLatch entered = new CountDownLatch(1);
    ServerModule module = ServerModule.builder("/slow")
        .functions(new HandWrittenFunctions("test.Slow").fn("slow", List.of(), (a, s) -> {
          entered.countDown();
          return result;
        }))
        .build();
    ServerHarness harness = new ServerHarness(module);
    CountDownLatch stopping = new CountDownLatch(1);
    harness.server.jetty().addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStopping(LifeCycle event) {
        stopping.countDown();
      }
    });
    CompletableFuture<ServerHarness.Answer> call =
        CompletableFuture.supplyAsync(() -> harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":1}"));
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    CompletableFuture<Void> stop = CompletableFuture.runAsync(harness::close);
    assertTrue(stopping.await(30, TimeUnit.SECONDS));
    assertFalse(stop.isDone(), "stop waits for the call in flight");
    result.complete("finished");
    assertEquals("finished", call.get(30, TimeUnit.SECONDS).json().get("result").asText());
    stop.get(30, TimeUnit.SECONDS);
    assertFalse(harness.server.isRunning());
  }

  @Test
  void aNewServerCanBindThePortOfAStoppedOne() {
    ServerModule module = ServerModule.builder("/p").functions(ping("test.P")).build();
    RpcServer first = RpcServer.builder().host("127.0.0.1").port(0).module(module).build().start();
    int port = first.port();
    ServerHarness.send(new okhttp3.Request.Builder().url(first.uri() + "/p")
        .post(okhttp3.RequestBody.create(PING, ServerHarness.JSON)).build());
    first.stop();
    // OkHttp would reuse its pooled keep-alive connection to the stopped server (closed by now)
    // without checking it, and, with retries off, fail; a client must drop such connections.
    ServerHarness.HTTP.connectionPool().evictAll();
    try (RpcServer second = RpcServer.builder().host("127.0.0.1").port(port)
        .module(ServerModule.builder("/p").functions(ping("test.P")).build()).build().start()) {
      assertEquals(port, second.port());
      ServerHarness.Answer answer = ServerHarness.send(new okhttp3.Request.Builder().url(second.uri() + "/p")
          .post(okhttp3.RequestBody.create(PING, ServerHarness.JSON)).build());
      assertEquals("pong", answer.json().get("result").asText());
    }
  }

  @Test
  void aModuleKeepsItsSessionsWhenServedByANewServer() {
    ServerModule module = ServerModule.builder("/keep")
        .functions(new HandWrittenFunctions("test.Keep")
            .fn("set", List.of("v"), (a, s) -> s.attributes().put("v", a.get(0, "v", String.class)))
            .fn("get", List.of(), (a, s) -> s.attributes().get("v")))
        .build();
    String session;
    try (ServerHarness first = new ServerHarness(module)) {
      session = first.post("{\"jsonrpc\":\"2.0\",\"method\":\"set\",\"params\":[\"kept\"],\"id\":1}").session();
    }
    ServerHarness.HTTP.connectionPool().evictAll();
    try (ServerHarness second = new ServerHarness(module)) {
      ServerHarness.Answer answer = second.post("{\"jsonrpc\":\"2.0\",\"method\":\"get\",\"id\":2}",
          java.util.Map.of(ServerModule.SESSION_HEADER, session));
      assertEquals("kept", answer.json().get("result").asText());
    }
  }

  @Test
  void oneServerHostsSeveralModulesAtTheirPaths() {
    ServerModule a = ServerModule.builder("/a").functions(new HandWrittenFunctions("test.A").fn("who", List.of(), (x, s) -> "a")).build();
    ServerModule b = ServerModule.builder("/b").functions(new HandWrittenFunctions("test.B").fn("who", List.of(), (x, s) -> "b")).build();
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(a).module(b).build().start()) {
      for (String name : List.of("a", "b")) {
        ServerHarness.Answer answer = ServerHarness.send(new okhttp3.Request.Builder().url(server.uri() + "/" + name)
            .post(okhttp3.RequestBody.create("{\"jsonrpc\":\"2.0\",\"method\":\"who\",\"id\":1}", ServerHarness.JSON)).build());
        assertEquals(name, answer.json().get("result").asText());
      }
    }
  }

  @Test
  void uriNamesTheBoundHostAndPort() {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
        .module(ServerModule.builder("/u").functions(ping("test.U")).build()).build().start()) {
      assertEquals("http://127.0.0.1:" + server.port(), server.uri().toString());
    }
  }

  @Test
  void bindingABusyPortFailsAtStartNamingTheAddress() {
    ServerModule module = ServerModule.builder("/busy").functions(ping("test.Busy")).build();
    try (RpcServer first = RpcServer.builder().host("127.0.0.1").port(0).module(module).build().start()) {
      RpcServer second = RpcServer.builder().host("127.0.0.1").port(first.port())
          .module(ServerModule.builder("/busy").functions(ping("test.Busy")).build()).build();
      IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
      assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()), e.getMessage());
    }
  }

  @Test
  void startingTwiceIsRefused() {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
        .module(ServerModule.builder("/t").functions(ping("test.T")).build()).build().start();
    try {
      assertThrows(IllegalStateException.class, server::start);
    } finally {
      server.stop();
    }
  }

  @Test
  void duplicateFunctionNamesFailAtBuildNamingBothGroups() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerModule.builder("/d").functions(ping("com.example.First"), ping("com.example.Second")).build());
    assertTrue(e.getMessage().contains("com.example.First"), e.getMessage());
    assertTrue(e.getMessage().contains("com.example.Second"), e.getMessage());
  }

  @Test
  void reservedRpcPrefixFailsAtBuild() {
    HandWrittenFunctions reserved = new HandWrittenFunctions("test.R").fn("rpc.mine", List.of(), (a, s) -> null);
    assertThrows(IllegalArgumentException.class, () -> ServerModule.builder("/r").functions(reserved).build());
  }

  @Test
  void pathWithoutLeadingSlashFailsAtBuild() {
    assertThrows(IllegalArgumentException.class, () -> ServerModule.builder("calc").functions(ping("test.X")).build());
  }

  @Test
  void moduleWithoutFunctionsFailsAtBuild() {
    assertThrows(IllegalArgumentException.class, () -> ServerModule.builder("/empty").build());
  }

  @Test
  void settingTwiceNamesThePreviousValue() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ServerModule.builder("/s").maxSessions(5).maxSessions(6));
    assertTrue(e.getMessage().contains("5"), e.getMessage());
  }

  @Test
  void nonPositiveAutoSessionsLiveIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ServerModule.builder("/s").autoSessionsLive(Duration.ZERO));
  }

  @Test
  void twoModulesAtOnePathFailAtBuild() {
    ServerModule a = ServerModule.builder("/same").functions(ping("test.A")).build();
    ServerModule b = ServerModule.builder("/same").functions(ping("test.B")).build();
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().module(a).module(b).build());
  }

  @Test
  void defaultsAreDocumentedValues() {
    ServerModule module = ServerModule.builder("/defaults").functions(ping("test.D")).build();
    assertEquals(Duration.ofMinutes(10), module.autoSessionsLive());
    assertEquals(100_000, module.maxSessions());
    assertEquals(4 * 1024 * 1024, module.maxBodyBytes());
  }
}
