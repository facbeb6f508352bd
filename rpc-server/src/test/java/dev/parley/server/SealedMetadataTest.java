package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.CallContext;
import dev.parley.RemoteException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.RequestMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md §15.4 on the server: the sealed metadata block gives a sealed call its deadline and trace context. */
class SealedMetadataTest {
  private static final String ROUTE = "/sealed-meta";
  private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final AtomicInteger RAN = new AtomicInteger();
  private static final List<CallContext> CONTEXTS = new CopyOnWriteArrayList<>();
  private static final List<CallResult> RESULTS = new CopyOnWriteArrayList<>();
  private static ServerHarness harness;

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Meta")
        .fn("count", List.of(), (a, s) -> RAN.incrementAndGet());
    ServerInterceptor recording = new ServerInterceptor() {
      @Override
      public java.util.concurrent.CompletionStage<?> intercept(CallContext call, Next next) {
        CONTEXTS.add(call);
        return next.proceed();
      }

      @Override
      public void onComplete(CallContext call, CallResult result) {
        RESULTS.add(result);
      }
    };
    harness = new ServerHarness(ServerModule.builder(ROUTE).functions(functions).secureKey(SecureTestClient.KEY_HEX)
        .interceptors(recording).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static SecureTestClient connect() {
    return SecureTestClient.connect(harness, ROUTE);
  }

  private static byte[] plaintext(String json, RequestMetadata metadata) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    byte[] plain = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, plain, 1, bytes.length);
    return HttpBinding.withMetadata(plain, metadata);
  }

  private static JsonNode send(SecureTestClient client, byte[] plaintext) {
    SecureTestClient.Call call = client.sealPlaintext(plaintext);
    return ServerHarness.tree(client.open(call, client.send(call)));
  }

  @Test
  void theSealedTraceContextAndDeadlineReachTheCallContextAndOnComplete() {
    SecureTestClient client = connect();
    CONTEXTS.clear();
    RESULTS.clear();
    byte[] plaintext = plaintext("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"count\"}",
        new RequestMetadata(600_000, TRACEPARENT, "congo=t61rcWkgMzE"));
    SecureTestClient.Call call = client.sealPlaintext(plaintext);
    SecureTestClient.Raw answer = client.send(call);
    assertTrue(ServerHarness.tree(client.open(call, answer)).has("result"));
    CallContext context = CONTEXTS.get(0);
    assertTrue(context.isEncrypted());
    assertEquals(TRACEPARENT, context.traceparent().orElseThrow());
    assertEquals("congo=t61rcWkgMzE", context.tracestate().orElseThrow());
    assertTrue(context.deadline().isPresent());
    assertFalse(context.header("traceparent").isPresent());
    assertEquals(call.frame().length, RESULTS.get(0).requestBytes());
    assertEquals(answer.body().length, RESULTS.get(0).responseBytes());
  }

  @Test
  void aSealedTimeoutOfZeroRunsNothingAndIsAnsweredDeadlineExceeded() {
    int before = RAN.get();
    JsonNode answer = send(connect(), plaintext("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"count\"}",
        new RequestMetadata(0, null, null)));
    assertEquals(RemoteException.DEADLINE_EXCEEDED, answer.get("error").get("code").asInt());
    assertEquals(before, RAN.get());
  }

  @Test
  void aMalformedMetadataBlockIsAParseErrorAndRunsNothing() {
    int before = RAN.get();
    byte[] json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"count\"}".getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[json.length + 4];
    bad[0] = HttpBinding.FLAG_METADATA;
    bad[1] = 0;
    bad[2] = 1;          // metaLength 1: shorter than one entry
    bad[3] = 0x01;
    System.arraycopy(json, 0, bad, 4, json.length);
    JsonNode answer = send(connect(), bad);
    assertEquals(-32700, answer.get("error").get("code").asInt());
    assertEquals(before, RAN.get());
  }
}
