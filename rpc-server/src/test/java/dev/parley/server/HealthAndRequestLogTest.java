package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.junit.jupiter.api.Test;

/** The health path and the switchable request log of {@link RpcServer}, over a real Jetty and OkHttp. */
class HealthAndRequestLogTest {
  private static ServerModule module(String path) {
    return ServerModule.builder(path).functions(new HandWrittenFunctions("test.Calc").fn("one", List.of(), (a, s) -> 1))
        .build();
  }

  private static Response get(RpcServer server, String path) throws IOException {
    return ServerHarness.HTTP.newCall(new Request.Builder().url(server.uri() + path).build()).execute();
  }

  @Test
  void theHealthPathAnswers200WhileServingAnd503WhileDraining() throws Exception {
    ServerModule calc = module("/calc");
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(calc).healthPath("/health")
        .drainTime(Duration.ofMinutes(5)).build().start();
    assertEquals(Optional.of("/health"), server.healthPath());
    try (Response answer = get(server, "/health")) {
      assertEquals(200, answer.code());
      assertEquals("ok\n", answer.body().string());
      assertEquals("no-store", answer.header("Cache-Control"));
    }
    Thread stopper = new Thread(server::stop);
    stopper.start();
    while (!calc.isDraining()) {
      Thread.onSpinWait();   // stop() drains the modules first, then keeps the port open for drainTime
    }
    try (Response answer = get(server, "/health")) {
      assertEquals(503, answer.code());
      assertEquals("draining\n", answer.body().string());
    }
    stopper.interrupt();   // cut the drain time short
    stopper.join();
    assertFalse(server.isRunning());
  }

  @Test
  void theHealthPathAnswersHeadButNotPost() throws IOException {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module("/calc")).healthPath("/healthz")
        .build().start()) {
      try (Response answer = ServerHarness.HTTP.newCall(new Request.Builder().url(server.uri() + "/healthz").head()
          .build()).execute()) {
        assertEquals(200, answer.code());
      }
      try (Response answer = ServerHarness.HTTP.newCall(new Request.Builder().url(server.uri() + "/healthz")
          .post(RequestBody.create("{}", ServerHarness.JSON)).build()).execute()) {
        assertEquals(405, answer.code());
        assertEquals("GET, HEAD", answer.header("Allow"));
      }
    }
  }

  @Test
  void withoutAHealthPathThereIsNone() throws IOException {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module("/calc")).build().start()) {
      assertEquals(Optional.empty(), server.healthPath());
      try (Response answer = get(server, "/health")) {
        assertEquals(404, answer.code());
      }
    }
  }

  @Test
  void aHealthPathOverAModuleIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcServer.builder()
        .module(module("/health/calc")).healthPath("/health").build());
    assertTrue(e.getMessage().contains("the health path /health covers the module at /health/calc"), e.getMessage());
  }

  @Test
  void aHealthPathWithoutALeadingSlashIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcServer.builder()
        .healthPath("health"));
    assertTrue(e.getMessage().contains("the health path must look like /health"), e.getMessage());
  }

  @Test
  void theRequestLogIsJettysCustomRequestLogWrittenToItsOwnLoggerWhenSwitchedOn() throws IOException {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module("/calc")).requestLog(true)
        .build().start()) {
      CustomRequestLog log = assertInstanceOf(CustomRequestLog.class, server.jetty().getRequestLog());
      assertEquals(CustomRequestLog.EXTENDED_NCSA_FORMAT, log.getFormatString());
      Slf4jRequestLogWriter writer = assertInstanceOf(Slf4jRequestLogWriter.class, log.getWriter());
      assertEquals(RpcServer.REQUEST_LOG, writer.getLoggerName());
      try (Response answer = get(server, "/calc")) {
        assertEquals(405, answer.code(), "requests are still answered with the log on");
      }
    }
  }

  @Test
  void theRequestLogIsOffByDefault() {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module("/calc")).build()) {
      assertNull(server.jetty().getRequestLog());
    }
  }

  @Test
  void theShutdownHookIsRegisteredAtStartAndStopsTheServerGracefully() {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module("/calc")).shutdownHook(true)
        .build().start();
    Thread hook = server.shutdownHook();
    assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "registered by start()");
    hook.run();   // as the JVM runs it on SIGTERM
    assertFalse(server.isRunning());
  }

  @Test
  void stopRemovesTheShutdownHook() {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module("/calc")).shutdownHook(true)
        .build().start();
    server.stop();
    assertFalse(Runtime.getRuntime().removeShutdownHook(server.shutdownHook()));
  }
}
