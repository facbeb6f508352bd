package dev.parley.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The documented tracing hooks ({@link OpenTelemetryTracing} on the server,
 * {@link OpenTelemetryClientTracing} on the client) on a real Jetty: called with plain JSON-RPC over
 * a real OkHttp client that sends W3C {@code traceparent} headers, and by a Parley client over an
 * encrypted session; the spans are those the OpenTelemetry SDK ends.
 */
class TracingHookTest {
  private static final String PATH = "/shop";
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT_ID = "b7ad6b7169203331";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
  private static final OkHttpClient HTTP = new OkHttpClient();

  private final List<SpanData> ended = new CopyOnWriteArrayList<>();
  private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
    @Override
    public void onStart(Context parent, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }).build();
  private final ShopFunctions functions = new ShopFunctions(new ShopImpl());

  @AfterEach
  void closeTracing() {
    provider.close();
  }

  private int post(ParleyServer rpc, String json, String traceparent) throws IOException {
    Request.Builder request = new Request.Builder().url(rpc.url(PATH))
        .post(RequestBody.create(json, MediaType.get("application/json")));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    try (Response response = HTTP.newCall(request.build()).execute()) {
      return response.code();
    }
  }

  private ParleyServer server() {
    return ParleyServer.builder()
        .module(ServerModule.builder(PATH).functions(functions)
            .interceptors(new OpenTelemetryTracing(provider.get("parley-test"))))
        .build();
  }

  @Test
  void callWithATraceparentContinuesTheCallersTrace() throws IOException {
    try (ParleyServer rpc = server().start()) {
      assertEquals(200, post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}",
          TRACEPARENT));
    }
    assertEquals(1, ended.size());
    SpanData span = ended.get(0);
    assertEquals(TRACE_ID, span.getTraceId());
    assertEquals(PARENT_ID, span.getParentSpanId());
    assertNotEquals(PARENT_ID, span.getSpanId());
    assertEquals(functions.serviceName() + "/add", span.getName());
    assertEquals(SpanKind.SERVER, span.getKind());
    assertEquals("add", span.getAttributes().get(AttributeKey.stringKey("rpc.method")));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
  }

  @Test
  void callWithoutATraceparentStartsANewTrace() throws IOException {
    try (ParleyServer rpc = server().start()) {
      post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}", null);
    }
    assertEquals(1, ended.size());
    assertFalse(ended.get(0).getParentSpanContext().isValid());
    assertNotEquals(TRACE_ID, ended.get(0).getTraceId());
  }

  @Test
  void encryptedCallCarriesTheClientSpansTraceContextSealedToTheServerSpan() {
    try (ParleyServer rpc = ParleyServer.builder()
        .module(ServerModule.builder(PATH).functions(functions)
            .interceptors(new OpenTelemetryTracing(provider.get("parley-test"))))
        .encrypted().build().start()) {
      ShopClient shop = new ShopClient(rpc.client(PATH,
          b -> b.interceptors(new OpenTelemetryClientTracing(provider.get("parley-test")))));
      assertEquals(3, shop.add(1, 2));
    }
    // The server span ends before the answer is written, the client span when the answer is read.
    assertEquals(2, ended.size());
    SpanData server = ended.get(0);
    SpanData client = ended.get(1);
    assertEquals(SpanKind.SERVER, server.getKind());
    assertEquals(SpanKind.CLIENT, client.getKind());
    assertEquals(client.getTraceId(), server.getTraceId());
    assertEquals(client.getSpanId(), server.getParentSpanId());
  }

  @Test
  void failingCallEndsItsSpanAsAnErrorWithTheCode() throws IOException {
    try (ParleyServer rpc = server().start()) {
      post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"refuse\",\"params\":{\"code\":4000},\"id\":1}", TRACEPARENT);
    }
    assertEquals(1, ended.size());
    assertEquals(StatusCode.ERROR, ended.get(0).getStatus().getStatusCode());
    assertEquals(4000L, ended.get(0).getAttributes().get(AttributeKey.longKey("rpc.jsonrpc.error_code")));
  }
}
