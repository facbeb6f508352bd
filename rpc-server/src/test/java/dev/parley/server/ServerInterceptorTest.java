package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.CallContext;
import dev.parley.RemoteException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server interceptors around plain calls, with a real Jetty and OkHttp. */
class ServerInterceptorTest {
  private static final AtomicInteger RAN = new AtomicInteger();
  private static final AtomicReference<CallContext> SEEN_BY_FUNCTION = new AtomicReference<>();
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();
  private static final List<CallResult> RESULTS = new CopyOnWriteArrayList<>();
  private static final List<CallContext> CONTEXTS = new CopyOnWriteArrayList<>();
  private static ServerHarness harness;

  /** Records around each call and, as RTC's function-group hooks do, answers, maps failures, or passes. */
  private static final class Recording implements ServerInterceptor {
    private final String name;

    Recording(String name) {
      this.name = name;
    }

    @Override
    public CompletableFuture<?> intercept(CallContext call, Next next) throws Exception {
      EVENTS.add(name + " before " + call.function());
      if (name.equals("outer")) {
        CONTEXTS.add(call);
        if (call.function().equals("cached")) {
          return CompletableFuture.completedFuture("from the interceptor");
        }
        if (call.function().equals("forbidden")) {
          throw new RemoteException(4010, "log in first");
        }
        if (call.function().equals("twice")) {
          next.proceed();
          return next.proceed().toCompletableFuture();
        }
      }
      return next.proceed().handle((result, failure) -> {
        EVENTS.add(name + " after " + call.function());
        if (failure instanceof NoSuchElementException) {
          return "nothing found";
        }
        if (failure != null) {
          throw new RemoteException(4000, "could not " + call.function());
        }
        return result;
      }).toCompletableFuture();
    }

    @Override
    public void onComplete(CallContext call, CallResult result) {
      if (name.equals("outer")) {
        RESULTS.add(result);
      }
    }
  }

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Intercepted")
        .fn("add", List.of("a", "b"), (a, s) -> {
          RAN.incrementAndGet();
          SEEN_BY_FUNCTION.set(a.callContext());
          return a.<Integer>get(0, "a", int.class) + a.<Integer>get(1, "b", int.class);
        })
        .fn("asyncAdd", List.of("a", "b"), (a, s) -> {
          RAN.incrementAndGet();
          return CompletableFuture.supplyAsync(() -> a.<Integer>get(0, "a", int.class) + a.<Integer>get(1, "b", int.class));
        })
        .fn("cached", List.of(), (a, s) -> RAN.incrementAndGet())
        .fn("forbidden", List.of(), (a, s) -> RAN.incrementAndGet())
        .fn("twice", List.of(), (a, s) -> RAN.incrementAndGet())
        .fn("find", List.of(), (a, s) -> {
          throw new NoSuchElementException("no row");
        })
        .fn("broken", List.of(), (a, s) -> {
          throw new IllegalStateException("disk is full");
        });
    harness = new ServerHarness(ServerModule.builder("/icpt").functions(functions)
        .interceptors(new Recording("outer"), new Recording("inner")).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @BeforeEach
  void clear() {
    RAN.set(0);
    EVENTS.clear();
    RESULTS.clear();
    CONTEXTS.clear();
    SEEN_BY_FUNCTION.set(null);
  }

  @Test
  void interceptorsRunAroundTheFunctionInRegistrationOrder() {
    JsonNode answer = harness.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[2,3]}").json();
    assertEquals(5, answer.get("result").asInt());
    assertEquals(List.of("outer before add", "inner before add", "inner after add", "outer after add"), EVENTS);
    assertEquals(1, RAN.get());
  }

  @Test
  void interceptorAndFunctionSeeOneCallContextWithTheCallsDetails() {
    harness.post("{\"jsonrpc\":\"2.0\",\"id\":\"a-7\",\"method\":\"add\",\"params\":[2,3]}",
        Map.of("X-Tenant", "acme", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate", "vendor=1"));
    CallContext call = CONTEXTS.get(0);
    assertEquals(call, SEEN_BY_FUNCTION.get());
    assertEquals("/icpt", call.modulePath());
    assertEquals("test.Intercepted", call.serviceName());
    assertEquals("add", call.function());
    assertEquals("\"a-7\"", call.callId().orElseThrow());
    assertFalse(call.inBatch());
    assertFalse(call.isEncrypted());
    assertEquals("acme", call.header("x-tenant").orElseThrow());
    assertTrue(call.remoteAddress().orElseThrow().getAddress().isLoopbackAddress());
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", call.traceparent().orElseThrow());
    assertEquals("vendor=1", call.tracestate().orElseThrow());
    assertTrue(call.deadline().isEmpty());
  }

  @Test
  void anInterceptorAnswersInTheFunctionsPlaceAndTheFunctionDoesNotRun() {
    assertEquals("from the interceptor",
        harness.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cached\"}").json().get("result").asText());
    JsonNode refused = harness.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"forbidden\"}").json();
    assertEquals(4010, refused.get("error").get("code").asInt());
    assertEquals("log in first", refused.get("error").get("message").asText());
    assertEquals(0, RAN.get());
  }

  @Test
  void anInterceptorTurnsAFailureIntoAResultOrAnotherError() {
    assertEquals("nothing found", harness.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"find\"}").json()
        .get("result").asText());
    JsonNode mapped = harness.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"broken\"}").json();
    assertEquals(4000, mapped.get("error").get("code").asInt());
    assertEquals("could not broken", mapped.get("error").get("message").asText());
  }

  @Test
  void onCompleteLearnsTheResultTheErrorCodeAndTheSizes() {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"asyncAdd\",\"params\":[2,3]}";
    ServerHarness.Answer answer = harness.post(body);
    harness.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"forbidden\"}");
    assertEquals(2, RESULTS.size());
    CallResult ok = RESULTS.get(0);
    assertTrue(ok.succeeded());
    assertEquals(5, ok.result());
    assertEquals(body.length(), ok.requestBytes());
    assertEquals(answer.body().length(), ok.responseBytes());
    assertFalse(ok.duration().isNegative());
    CallResult refused = RESULTS.get(1);
    assertFalse(refused.succeeded());
    assertEquals(4010, refused.errorCode());
    assertInstanceOf(RemoteException.class, refused.failure());
  }

  @Test
  void eachCallOfABatchIsInterceptedOnceWithoutPerCallSizes() {
    harness.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[1,1]},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[2,2]}]");
    assertEquals(2, RESULTS.size());
    assertTrue(CONTEXTS.stream().allMatch(CallContext::inBatch));
    assertTrue(CONTEXTS.get(1).isNotification());
    assertTrue(RESULTS.stream().allMatch(r -> r.requestBytes() == -1 && r.responseBytes() == -1));
    assertEquals(2, RAN.get());
  }

  @Test
  void callingProceedTwiceFailsTheCall() {
    JsonNode answer = harness.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"twice\"}").json();
    assertEquals(RemoteException.SERVER_ERROR, answer.get("error").get("code").asInt());
    assertEquals(1, RAN.get());
    assertInstanceOf(IllegalStateException.class, RESULTS.get(0).failure());
  }

  @Test
  void aModuleWithoutInterceptorsStillGivesFunctionsTheirCallContext() {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Plain")
        .fn("who", List.of(), (a, s) -> {
          seen.set(a.callContext());
          return "ok";
        });
    try (ServerHarness plain = new ServerHarness(ServerModule.builder("/plain").functions(functions).build())) {
      plain.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"who\"}", Map.of("Parley-Timeout", "60000"));
    }
    assertEquals("who", seen.get().function());
    assertEquals("3", seen.get().callId().orElseThrow());
    assertTrue(seen.get().deadline().isPresent());
    assertNull(seen.get().traceparent().orElse(null));
  }
}
