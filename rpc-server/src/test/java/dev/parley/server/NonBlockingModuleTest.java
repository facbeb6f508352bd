package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServerModule.Builder#nonBlocking(boolean)}: calls run on Jetty's I/O thread, bodies are
 * read without blocking, and everything else answers as in blocking mode (the rules, encrypted and
 * stalled-body paths are covered by {@link NonBlockingHttpRulesTest},
 * {@link NonBlockingEncryptedModuleTest} and {@link StalledBodyTest}).
 */
class NonBlockingModuleTest {
  private static final String WHERE = "{\"jsonrpc\":\"2.0\",\"method\":\"where\",\"id\":1}";

  @TempDir
  Path dir;

  /**
   * "selector" when the function runs in Jetty's produce-consume mode (the selector thread that
   * produced the task runs it, then goes back to selecting: no hand-off), else "pool".
   */
  private static HandWrittenFunctions where(String service) {
    return new HandWrittenFunctions(service)
        .fn("where", List.of(), (a, s) -> onSelector() ? "selector" : "pool")
        .fn("echo", List.of("text"), (a, s) -> a.get(0, "text", String.class));
  }

  private static boolean onSelector() {
    return Arrays.stream(Thread.currentThread().getStackTrace())
        .anyMatch(frame -> frame.getClassName().equals("org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy")
            && frame.getMethodName().equals("pcRunTask"));
  }

  private static ServerModule module(String path, boolean nonBlocking) {
    return ServerModule.builder(path).functions(where("test.Where" + path.substring(1))).nonBlocking(nonBlocking).build();
  }

  /**
   * Calls of a non-blocking module run inside the selector loop; a blocking module keeps the
   * blocking invocation type and its calls run on pool threads.
   */
  @ParameterizedTest(name = "{0} nonBlocking={1} runs on the {2}")
  @CsvSource({"/nb, true, selector", "/b, false, pool"})
  void callsRunWhereTheModulesInvocationTypeSays(String path, boolean nonBlocking, String where) {
    try (ServerHarness harness = new ServerHarness(module(path, nonBlocking))) {
      assertEquals(nonBlocking, harness.module.isNonBlocking());
      assertEquals(nonBlocking, harness.server.runsCallsOnIoThreads());
      for (int i = 0; i < 20; i++) {
        assertEquals(where, harness.post(WHERE).json().get("result").asText());
      }
    }
  }

  @Test
  void oneBlockingModuleMakesTheWholeServerDispatchToPoolThreadsAndBothStillAnswer() {
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
        .module(module("/nb", true)).module(module("/b", false)).build().start()) {
      assertFalse(server.runsCallsOnIoThreads());
      for (String path : List.of("/nb", "/b")) {
        ServerHarness.Answer answer = ServerHarness.send(new okhttp3.Request.Builder().url(server.uri() + path)
            .post(okhttp3.RequestBody.create(WHERE, ServerHarness.JSON)).build());
        assertEquals(200, answer.status());
      }
    }
  }

  @Test
  void aServerOfNonBlockingModulesHasOneSelectorPerCoreByDefault() {
    int cores = Runtime.getRuntime().availableProcessors();
    RpcServer nonBlocking = RpcServer.builder().port(0).module(module("/nb", true)).build();
    assertEquals(Math.min(cores, (RpcServer.DEFAULT_MAX_THREADS - 2) / 2), nonBlocking.selectors());
    RpcServer blocking = RpcServer.builder().port(0).module(module("/b", false)).build();
    assertEquals(Math.max(1, Math.min(4, cores / 2)), blocking.selectors());
    assertEquals(3, RpcServer.builder().port(0).selectors(3).module(module("/b", false)).build().selectors());
  }

  @Test
  void selectorsOutOfRangeOrWithoutThreadsToSpareAreRefusedAtBuild() {
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().selectors(0));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().selectors(65));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RpcServer.builder().maxThreads(8).selectors(6).module(module("/b", false)).build());
    assertTrue(e.getMessage().contains("at least 10"), e.getMessage());
  }

  @Test
  void aBodyArrivingInManyReadsIsServedWhole() {
    String text = "0123456789abcdef".repeat(64 * 1024);   // 1 MiB: many reads and demand callbacks
    ServerModule module = ServerModule.builder("/big").functions(where("test.Big")).nonBlocking(true)
        .maxBodyBytes(2 * 1024 * 1024).build();
    try (ServerHarness harness = new ServerHarness(module)) {
      ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + text
          + "\"],\"id\":7}");
      assertEquals(200, answer.status());
      assertEquals(text, answer.json().get("result").asText());
    }
  }

  @Test
  void aBodySentInTwoWritesIsServedOnceComplete() throws IOException {
    try (ServerHarness harness = new ServerHarness(module("/two", true));
         Socket socket = new Socket("127.0.0.1", harness.server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      byte[] body = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"split\"],\"id\":2}"
          .getBytes(StandardCharsets.US_ASCII);
      out.write(("POST /two HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 20);
      out.flush();
      out.write(body, 20, body.length - 20);
      out.flush();
      String answer = StalledBodyTest.readAll(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
      assertTrue(answer.endsWith("\"result\":\"split\"}"), answer);
    }
  }

  @Test
  void aContentLengthOverTheLimitIsRefusedAtOnceWithoutWaitingForTheBody() throws IOException {
    ServerModule module = ServerModule.builder("/limit").functions(where("test.Limit")).nonBlocking(true)
        .maxBodyBytes(1024).build();
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module)
            .idleTimeout(java.time.Duration.ofMinutes(2)).build().start()) {
      // Claims 10 MB and sends 20 bytes: a module that waited for the rest would answer only after
      // the 2-minute idle timeout, and the read would time out first.
      String answer = StalledBodyTest.sendAndRead(server.port(), "POST /limit HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"jsonrpc\":\"2.0\",\"me");
      assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    }
  }

  @Test
  void nonBlockingIsReadFromAConfigFileAndShownByToString() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "path: /calc\nnonBlocking: true\n");
    ServerModule module = ServerModule.fromConfig(file, Map.of()).functions(where("test.Cfg")).build();
    assertTrue(module.isNonBlocking());
    assertTrue(module.toString().contains("non-blocking"), module.toString());
    ServerModule fromEnv = ServerModule.fromConfig(file, Map.of("PARLEY_NON_BLOCKING", "false"))
        .functions(where("test.Env")).build();
    assertFalse(fromEnv.isNonBlocking());
  }

  @Test
  void nonBlockingSetTwiceIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ServerModule.builder("/x").nonBlocking(true).nonBlocking(false));
    assertTrue(e.getMessage().contains("nonBlocking was already set"), e.getMessage());
  }
}
