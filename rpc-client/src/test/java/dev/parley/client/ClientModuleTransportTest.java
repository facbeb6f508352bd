package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.RpcTimeoutException;
import dev.parley.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientModuleTransportTest {
  private FakeServer server;
  /** Released at the end of every test, so a handler that waits on it never outlives its test. */
  private final CountDownLatch release = new CountDownLatch(1);
  /** Counted down by a waiting handler once the request has arrived. */
  private final CountDownLatch arrived = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    server.close();
  }

  /** Makes the server hold every request until the test releases it, then answer 3. */
  private void holdRequests() {
    server.responder = (r, request, response, callback) -> {
      arrived.countDown();
      release.await();
      FakeServer.answer(response, callback, 200, "application/json",
          "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":" + r.json().get("id") + "}");
    };
  }

  private static final class Recorder extends EventListener {
    final BlockingQueue<Boolean> noDelay = new LinkedBlockingQueue<>();
    final CountDownLatch canceled = new CountDownLatch(1);

    @Override
    public void connectionAcquired(Call call, Connection connection) {
      try {
        noDelay.add(connection.socket().getTcpNoDelay());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void canceled(Call call) {
      canceled.countDown();
    }
  }

  @Test
  void readTimeoutBecomesRpcTimeoutException() {
    holdRequests();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).readTimeout(Duration.ofMillis(200)).build()) {
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class, () -> calc.call("add", null, Integer.class));
      assertEquals(0, e.httpStatus());
      assertTrue(e.getMessage().contains("the read timeout (200 ms)"), e.getMessage());
    }
  }

  @Test
  void callTimeoutBecomesRpcTimeoutException() {
    holdRequests();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).callTimeout(Duration.ofMillis(200)).build()) {
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class, () -> calc.call("add", null, Integer.class));
      assertTrue(e.getMessage().contains("the call timeout (200 ms) elapsed"), e.getMessage());
    }
  }

  @Test
  void aPerCallTimeoutThatElapsesIsNamedWithItsValue() {
    holdRequests();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).build()) {
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class,
          () -> calc.withTimeout(Duration.ofMillis(200)).call("add", null, Integer.class, false));
      assertTrue(e.getMessage().contains("the per-call timeout (200 ms) elapsed"), e.getMessage());
    }
  }

  @Test
  void asyncReadTimeoutCompletesWithRpcTimeoutException() {
    holdRequests();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).readTimeout(Duration.ofMillis(200)).build()) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> calc.callAsync("add", null, Integer.class).get());
      assertInstanceOf(RpcTimeoutException.class, e.getCause());
    }
  }

  @Test
  void cancellingAnAsyncCallCancelsTheHttpCall() throws Exception {
    holdRequests();
    Recorder recorder = new Recorder();
    OkHttpClient shared = new OkHttpClient.Builder().eventListener(recorder).build();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).okHttpClient(shared).build()) {
      CompletableFuture<Integer> future = calc.callAsync("add", null, Integer.class);
      arrived.await();
      assertTrue(future.cancel(true));
      recorder.canceled.await();
      assertTrue(future.isCancelled());
    } finally {
      shared.dispatcher().executorService().shutdown();
    }
  }

  @Test
  void postFailingOnAPooledConnectionIsNotSilentlyRetried() {
    // OkHttp's default would re-send a POST whose pooled connection fails: the server drops every
    // request after the first, so a silent retry shows up as a third request.
    server.responder = (r, request, response, callback) -> {
      if (server.requestCount() == 1) {
        FakeServer.answer(response, callback, 200, "application/json",
            "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":" + r.json().get("id") + "}");
      } else {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.failed(new IOException("dropped by the test"));
      }
    };
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).build()) {
      assertEquals(3, calc.call("add", null, Integer.class));
      TransportException e = assertThrows(TransportException.class, () -> calc.call("add", null, Integer.class));
      assertEquals(0, e.httpStatus());
    }
    assertEquals(2, server.requestCount());
  }

  /** Answers every request but the second, whose connection it drops without an answer. */
  private void dropTheSecondRequest() {
    server.responder = (r, request, response, callback) -> {
      if (server.requestCount() == 2) {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.failed(new IOException("dropped by the test"));
      } else {
        FakeServer.answer(response, callback, 200, "application/json",
            "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":" + r.json().get("id") + "}");
      }
    };
  }

  @Test
  void idempotentCallFailingOnAPooledConnectionIsSentOnceMore() {
    dropTheSecondRequest();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).build()) {
      assertEquals(3, calc.<Integer>call("get", null, Integer.class, true));
      assertEquals(3, calc.<Integer>call("get", null, Integer.class, true));
    }
    assertEquals(3, server.requestCount());
  }

  @Test
  void idempotentAsyncCallFailingOnAPooledConnectionIsSentOnceMore() {
    dropTheSecondRequest();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).build()) {
      assertEquals(3, calc.<Integer>callAsync("get", null, Integer.class, true).join());
      assertEquals(3, calc.<Integer>callAsync("get", null, Integer.class, true).join());
    }
    assertEquals(3, server.requestCount());
  }

  @Test
  void nonIdempotentAsyncCallFailingOnAPooledConnectionIsNotSentAgain() {
    dropTheSecondRequest();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).build()) {
      assertEquals(3, calc.callAsync("add", null, Integer.class).join());
      CompletableFuture<Integer> second = calc.callAsync("add", null, Integer.class);
      assertInstanceOf(TransportException.class, assertThrows(ExecutionException.class, second::get).getCause());
    }
    assertEquals(2, server.requestCount());
  }

  @Test
  void socketsHaveTcpNoDelay() throws Exception {
    server.result("3");
    Recorder recorder = new Recorder();
    OkHttpClient shared = new OkHttpClient.Builder().eventListener(recorder).build();
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).okHttpClient(shared).build()) {
      calc.call("add", null, Integer.class);
      assertTrue(recorder.noDelay.take());
    } finally {
      shared.dispatcher().executorService().shutdown();
    }
  }

  @Test
  void callOnAnInterruptedThreadFailsAndKeepsTheInterrupt() {
    server.result("3");
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).build()) {
      Thread.currentThread().interrupt();
      assertThrows(TransportException.class, () -> calc.call("add", List.of(1, 2), Integer.class));
      assertTrue(Thread.interrupted());
    }
  }

  @Test
  void manyConcurrentAsyncCallsAreNotThrottledToFive() throws Exception {
    CountDownLatch allArrived = new CountDownLatch(16);
    server.responder = (r, request, response, callback) -> {
      allArrived.countDown();
      release.await();
      FakeServer.answer(response, callback, 200, "application/json",
          "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":" + r.json().get("id") + "}");
    };
    try (ClientModule calc = ClientModule.builder(server.url("/calc")).build()) {
      List<CompletableFuture<Integer>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(calc.callAsync("one", null, Integer.class));
      }
      allArrived.await(); // with OkHttp's default of 5 per host this would never return
      release.countDown();
      for (CompletableFuture<Integer> call : calls) {
        assertEquals(1, call.join());
      }
    }
    assertFalse(release.getCount() > 0);
  }
}
