package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Asynchronous functions, concurrent callers, and blocking functions that do not block others. */
class AsyncAndConcurrencyTest {
  private static final CountDownLatch BLOCKED_ENTERED = new CountDownLatch(1);
  private static final CountDownLatch RELEASE_BLOCKED = new CountDownLatch(1);
  private static final List<String> THREAD_NAMES = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static volatile CompletableFuture<String> pending = new CompletableFuture<>();
  private static volatile CountDownLatch pendingEntered = new CountDownLatch(1);
  private static ServerHarness harness;

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Async")
        .fn("twice", List.of("n"), (a, s) -> CompletableFuture.supplyAsync(() -> 2 * a.<Integer>get(0, "n", int.class)))
        .fn("asyncFail", List.of(), (a, s) -> CompletableFuture.failedFuture(new IllegalArgumentException("no such account")))
        .fn("later", List.of(), (a, s) -> {
          pendingEntered.countDown();
          return pending;
        })
        .fn("square", List.of("n"), (a, s) -> {
          int n = a.get(0, "n", int.class);
          return n * n;
        })
        .fn("threadName", List.of(), (a, s) -> {
          THREAD_NAMES.add(Thread.currentThread().getName());
          return Thread.currentThread().getName();
        })
        .fn("block", List.of(), (a, s) -> {
          BLOCKED_ENTERED.countDown();
          // A safety bound so a broken test cannot hang the build; the test releases it explicitly.
          return RELEASE_BLOCKED.await(60, TimeUnit.SECONDS);
        });
    harness = new ServerHarness(ServerModule.builder("/async").functions(functions).build());
  }

  @AfterAll
  static void stop() {
    RELEASE_BLOCKED.countDown();
    harness.close();
  }

  @Test
  void asyncResultIsAnswered() {
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"twice\",\"params\":[21],\"id\":1}");
    assertEquals(42, answer.json().get("result").asInt());
  }

  @Test
  void asyncFailureIsServerErrorWithAGenericMessage() {
    JsonNode json = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"asyncFail\",\"id\":1}").json();
    assertEquals(-32000, json.get("error").get("code").asInt());
    assertEquals("Server error", json.get("error").get("message").asText());
  }

  @Test
  void answerWaitsForAnAsyncResultCompletedLater() throws Exception {
    pending = new CompletableFuture<>();
    pendingEntered = new CountDownLatch(1);
    CompletableFuture<ServerHarness.Answer> call =
        CompletableFuture.supplyAsync(() -> harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"later\",\"id\":5}"));
    assertTrue(pendingEntered.await(30, TimeUnit.SECONDS));
    pending.complete("done");
    assertEquals("done", call.get(30, TimeUnit.SECONDS).json().get("result").asText());
  }

  @Test
  void batchMixesSyncAndAsyncAnswers() {
    JsonNode json = harness.post("[{\"jsonrpc\":\"2.0\",\"method\":\"twice\",\"params\":[5],\"id\":1},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"square\",\"params\":[5],\"id\":2}]").json();
    assertEquals(2, json.size());
    for (JsonNode element : json) {
      int expected = element.get("id").asInt() == 1 ? 10 : 25;
      assertEquals(expected, element.get("result").asInt());
    }
  }

  @Test
  void functionsRunOnTheServersNamedPoolThreads() {
    String name = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"threadName\",\"id\":1}").json().get("result").asText();
    assertTrue(name.startsWith("parley-server"), name);
  }

  @Test
  void manyConcurrentCallersEachGetTheirOwnAnswer() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        results.add(callers.submit(() -> {
          JsonNode json = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"square\",\"params\":{\"n\":" + n + "},\"id\":\"c" + n + "\"}").json();
          return json.get("result").asInt() == n * n && json.get("id").asText().equals("c" + n);
        }));
      }
      for (Future<Boolean> result : results) {
        assertTrue(result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void blockedFunctionDoesNotBlockOtherCalls() throws Exception {
    CompletableFuture<ServerHarness.Answer> blocked =
        CompletableFuture.supplyAsync(() -> harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"id\":1}"));
    assertTrue(BLOCKED_ENTERED.await(30, TimeUnit.SECONDS));
    ServerHarness.Answer other = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"square\",\"params\":[3],\"id\":2}");
    assertEquals(9, other.json().get("result").asInt());
    assertTrue(!blocked.isDone(), "the blocked call is still running while the other one was answered");
    RELEASE_BLOCKED.countDown();
    assertTrue(blocked.get(30, TimeUnit.SECONDS).json().get("result").asBoolean());
  }
}
