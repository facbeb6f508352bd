package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.RpcTimeoutException;
import dev.parley.TransportException;
import dev.parley.client.ClientCall;
import dev.parley.client.ClientInterceptor;
import dev.parley.client.ClientModule;
import dev.parley.server.ServerModule;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Call context, deadlines, trace context and client interceptors between a real Parley client
 * (OkHttp) and a real server (Jetty), plain and encrypted. A deadline passes when the test fires its
 * timer, never by waiting.
 */
class CallContextEndToEndTest {
  static final String TRACED = "/traced";
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  static final ManualDeadlines PLAIN_DEADLINES = new ManualDeadlines();
  static final ManualDeadlines SEALED_DEADLINES = new ManualDeadlines();
  static final TracedImpl PLAIN_IMPL = new TracedImpl();
  static final TracedImpl SEALED_IMPL = new TracedImpl();

  @RegisterExtension
  static final ParleyServer plain = ParleyServer.builder().module(traced(PLAIN_IMPL)).deadlines(PLAIN_DEADLINES)
      .build();

  @RegisterExtension
  static final ParleyServer sealed = ParleyServer.builder().module(traced(SEALED_IMPL)).encrypted()
      .deadlines(SEALED_DEADLINES).build();

  private static ServerModule.Builder traced(TracedImpl impl) {
    return ServerModule.builder(TRACED).functions(new TracedFunctions(impl));
  }

  /** Sets the trace context on every call, as a tracing interceptor would. */
  static final class Tracing implements ClientInterceptor {
    @Override
    public CompletionStage<?> interceptCall(ClientCall call, Next next) {
      call.traceparent(TRACEPARENT).tracestate("congo=t61rcWkgMzE");
      return next.proceed();
    }
  }

  /** What {@code context()} saw through a client with {@link Tracing}, after asserting the trace context arrived. */
  private static String[] seenWithTracing(ParleyServer server) {
    try (ClientModule module = server.client(TRACED, b -> b.interceptors(new Tracing()))) {
      String[] seen = new TracedClient(module).context().split("\\|");
      assertEquals(TRACEPARENT, seen[0]);
      assertEquals("congo=t61rcWkgMzE", seen[1]);
      return seen;
    }
  }

  @Test
  void traceContextAClientInterceptorSetsArrivesOnAPlainCallInItsHeaders() {
    String[] seen = seenWithTracing(plain);
    assertEquals("true", seen[2], "a plain call carries it as the W3C headers");
    assertEquals("false", seen[3]);
  }

  @Test
  void traceContextArrivesSealedOnAnEncryptedCallAndNoHeaderCarriesIt() {
    String[] seen = seenWithTracing(sealed);
    assertEquals("false", seen[2], "an encrypted call's headers stay free of the trace context");
    assertEquals("true", seen[3]);
  }

  @Test
  void aStubsPerCallTimeoutArrivesAsTheDeadlineOnPlainAndEncryptedCalls() {
    for (ParleyServer server : List.of(plain, sealed)) {
      String[] seen = new TracedClient(server.client(TRACED)).withTimeout(Duration.ofMinutes(10)).context().split("\\|");
      long millis = Long.parseLong(seen[4]);
      // At most the 10 minutes sent; far more than the module's 60 s, so it is the per-call timeout.
      assertTrue(millis > Duration.ofMinutes(2).toMillis() && millis <= Duration.ofMinutes(10).toMillis(), seen[4]);
    }
  }

  @Test
  void theModulesCallTimeoutIsSentAsTheDeadlineAndNoneWithoutOne() {
    try (ClientModule timed = plain.client(TRACED, b -> b.callTimeout(Duration.ofMinutes(3)));
        ClientModule untimed = sealed.client(TRACED, b -> b.callTimeout(Duration.ZERO))) {
      long millis = Long.parseLong(new TracedClient(timed).context().split("\\|")[4]);
      // At most the 3 minutes sent; more than the default 60 s, so it is the module's callTimeout.
      assertTrue(millis > Duration.ofMinutes(1).toMillis() && millis <= Duration.ofMinutes(3).toMillis(), "" + millis);
      assertEquals("none", new TracedClient(untimed).context().split("\\|")[4]);
    }
  }

  @Test
  void aDeadlinePassingOnAnEncryptedCallInterruptsTheFunctionAndTheClientNamesItsTimeout() throws Exception {
    TracedClient client = new TracedClient(sealed.client(TRACED)).withTimeout(Duration.ofMinutes(10));
    Throwable failure = SEALED_IMPL.runUntilDeadline(client::runUntilStopped, SEALED_DEADLINES);
    RpcTimeoutException timeout = assertInstanceOf(RpcTimeoutException.class, failure);
    assertTrue(timeout.getMessage().contains("the per-call timeout (600 s)"), timeout.getMessage());
    assertEquals(CallOutcome.UNKNOWN, timeout.outcome());
  }

  @Test
  void aDeadlinePassingOnAPlainCallInterruptsTheFunction() throws Exception {
    TracedClient client = new TracedClient(plain.client(TRACED));
    RpcTimeoutException timeout = assertInstanceOf(RpcTimeoutException.class,
        PLAIN_IMPL.runUntilDeadline(client::runUntilStopped, PLAIN_DEADLINES));
    assertTrue(timeout.getMessage().contains("the call timeout (60 s)"), timeout.getMessage());
  }

  @Test
  void clientInterceptorsRunAroundEachCallAndEachAttemptInRegistrationOrder() {
    List<String> events = new CopyOnWriteArrayList<>();
    class Recording implements ClientInterceptor {
      private final String name;

      Recording(String name) {
        this.name = name;
      }

      @Override
      public CompletionStage<?> interceptCall(ClientCall call, Next next) {
        events.add(name + " before " + call.function());
        return next.proceed().whenComplete((result, failure) -> events.add(name + " after " + result));
      }

      @Override
      public void beforeAttempt(ClientCall call, int attempt) {
        events.add(name + " attempt " + attempt);
      }

      @Override
      public void afterAttempt(ClientCall call, int attempt, int status, Throwable failure) {
        events.add(name + " attempt " + attempt + " answered " + status);
      }
    }
    for (ParleyServer server : List.of(plain, sealed)) {
      events.clear();
      try (ClientModule module = server.client(TRACED, b -> b.interceptors(new Recording("outer"),
          new Recording("inner")))) {
        String result = new TracedClient(module).context();
        assertEquals(List.of("outer before context", "inner before context", "outer attempt 1", "inner attempt 1",
            "outer attempt 1 answered 200", "inner attempt 1 answered 200", "inner after " + result,
            "outer after " + result), events);
      }
    }
  }

  @Test
  void aClientInterceptorMayAnswerWithoutSendingAnything() {
    AtomicBoolean attempted = new AtomicBoolean();
    ClientInterceptor cache = new ClientInterceptor() {
      @Override
      public CompletionStage<?> interceptCall(ClientCall call, Next next) {
        return CompletableFuture.completedFuture("cached");
      }

      @Override
      public void beforeAttempt(ClientCall call, int attempt) {
        attempted.set(true);
      }
    };
    try (ClientModule module = plain.client(TRACED, b -> b.interceptors(cache))) {
      assertEquals("cached", new TracedClient(module).context());
      assertFalse(attempted.get());
    }
  }

  @Test
  void anAttemptThatGetsNoAnswerIsReportedWithItsFailure() {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    ClientInterceptor watch = new ClientInterceptor() {
      @Override
      public void afterAttempt(ClientCall call, int attempt, int status, Throwable failure) {
        assertEquals(0, status);
        failures.add(failure);
      }
    };
    int port = plain.port();
    plain.stop();
    try (ClientModule module = ClientModule.builder("http://127.0.0.1:" + port + TRACED).waitForServer(false)
        .interceptors(watch).build()) {
      assertThrows(TransportException.class, () -> new TracedClient(module).context());
      assertEquals(1, failures.size());
    } finally {
      plain.start();
    }
  }

  @Test
  void aCallSentAgainAfterARefusedConnectionIsSeenAsItsSecondAttempt() {
    List<String> attempts = new CopyOnWriteArrayList<>();
    ClientInterceptor restartAfterFirstAttempt = new ClientInterceptor() {
      @Override
      public void afterAttempt(ClientCall call, int attempt, int status, Throwable failure) {
        attempts.add(attempt + ":" + status);
        if (attempt == 1) {
          plain.start();   // the server is back before the client tries again
        }
      }
    };
    plain.stop();
    try (ClientModule module = plain.client(TRACED, b -> b.interceptors(restartAfterFirstAttempt))) {
      new TracedClient(module).context();
      assertEquals(List.of("1:0", "2:200"), attempts);
    } finally {
      if (!plain.isRunning()) {
        plain.start();
      }
    }
  }

  @Test
  void anAsynchronousCallRunsThroughTheClientInterceptorsAndCarriesTheTraceContext() throws Exception {
    try (ClientModule module = sealed.client(TRACED, b -> b.interceptors(new Tracing()))) {
      CompletableFuture<String> call = new TracedClient(module).contextAsync();
      assertEquals(TRACEPARENT, call.get().split("\\|")[0]);
    }
  }

  @Test
  void aTraceValueThatIsNotPrintableAsciiIsRefusedWithAClearError() {
    ClientInterceptor bad = new ClientInterceptor() {
      @Override
      public CompletionStage<?> interceptCall(ClientCall call, Next next) {
        call.traceparent("00-abc\n-01");
        return next.proceed();
      }
    };
    try (ClientModule module = plain.client(TRACED, b -> b.interceptors(bad))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new TracedClient(module).context());
      assertTrue(e.getMessage().contains("traceparent must be 1 to 255 characters of printable ASCII"), e.getMessage());
      assertFalse(e.getMessage().contains("abc"), "the value is not repeated");
    }
  }

  @Test
  void aPerCallTimeoutOutsideItsRangeIsRefused() {
    ClientModule module = plain.client(TRACED);
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMillis(Integer.MAX_VALUE + 1L))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> module.withTimeout(bad));
      assertTrue(e.getMessage().contains("a per-call timeout must be more than 0"), e.getMessage());
    }
    assertSame(TracedClient.class, new TracedClient(module).withTimeout(Duration.ofSeconds(1)).getClass());
  }
}
