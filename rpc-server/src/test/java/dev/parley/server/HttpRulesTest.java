package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP-level rules a plain module enforces before any JSON-RPC processing. */
class HttpRulesTest {
  private static final int LIMIT = 1024;
  private static final AtomicInteger CALLS = new AtomicInteger();
  static ServerHarness harness;

  @BeforeAll
  static void start() {
    harness = harness(false);
  }

  /** The module these rules are checked on; {@link NonBlockingHttpRulesTest} checks them non-blocking. */
  static ServerHarness harness(boolean nonBlocking) {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Echo")
        .fn("echo", List.of("text"), (a, s) -> {
          CALLS.incrementAndGet();
          return a.get(0, "text", String.class);
        });
    return new ServerHarness(ServerModule.builder("/rpc").functions(functions).maxBodyBytes(LIMIT)
        .nonBlocking(nonBlocking).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String echoCall(String text) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + text + "\"],\"id\":1}";
  }

  private static ServerHarness.Answer post(RequestBody body) {
    return ServerHarness.send(new Request.Builder().url(harness.url()).post(body).build());
  }

  @Test
  void getIsMethodNotAllowedWithAllowPost() {
    ServerHarness.Answer answer = ServerHarness.send(new Request.Builder().url(harness.url()).get().build());
    assertEquals(405, answer.status());
    assertEquals("POST", answer.allow());
  }

  @Test
  void putIsMethodNotAllowedWithAllowPost() {
    ServerHarness.Answer answer = ServerHarness.send(new Request.Builder().url(harness.url())
        .put(RequestBody.create(echoCall("x"), ServerHarness.JSON)).build());
    assertEquals(405, answer.status());
    assertEquals("POST", answer.allow());
  }

  @Test
  void textPlainIsUnsupportedMediaType() {
    assertEquals(415, post(RequestBody.create(echoCall("x"), MediaType.get("text/plain"))).status());
  }

  @Test
  void missingContentTypeIsUnsupportedMediaType() {
    assertEquals(415, post(RequestBody.create(echoCall("x").getBytes(StandardCharsets.UTF_8), null)).status());
  }

  @Test
  void nonUtf8CharsetIsUnsupportedMediaType() {
    assertEquals(415, post(RequestBody.create(echoCall("x").getBytes(StandardCharsets.ISO_8859_1),
        MediaType.get("application/json; charset=iso-8859-1"))).status());
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static ServerHarness.Answer postEncoded(String encoding, byte[] body) {
    return ServerHarness.send(new Request.Builder().url(harness.url())
        .header("Content-Encoding", encoding).post(RequestBody.create(body, ServerHarness.JSON)).build());
  }

  @Test
  void unsupportedContentEncodingIsUnsupportedMediaType() {
    assertEquals(415, postEncoded("br", echoCall("x").getBytes(StandardCharsets.UTF_8)).status());
  }

  @Test
  void gzipBodyIsInflated() {
    ServerHarness.Answer answer = postEncoded("gzip", gzip(echoCall("zipped").getBytes(StandardCharsets.UTF_8)));
    assertEquals(200, answer.status());
    assertEquals("zipped", answer.json().get("result").asText());
  }

  @Test
  void gzipBodyInflatingBeyondTheLimitIsPayloadTooLargeAndRunsNothing() {
    int before = CALLS.get();
    byte[] bomb = gzip(echoCall("z".repeat(100 * LIMIT)).getBytes(StandardCharsets.UTF_8));
    assertTrue(bomb.length < LIMIT, "the compressed body itself is within the limit");
    assertEquals(413, postEncoded("gzip", bomb).status());
    assertEquals(before, CALLS.get());
  }

  @Test
  void corruptGzipBodyIsBadRequest() {
    assertEquals(400, postEncoded("gzip", echoCall("not gzip").getBytes(StandardCharsets.UTF_8)).status());
  }

  /** Plain JSON with a UTF-8 charset, and the JSON-RPC media type. */
  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=UTF-8", "application/json-rpc"})
  void jsonMediaTypeIsAccepted(String mediaType) {
    ServerHarness.Answer answer = post(RequestBody.create(echoCall("x").getBytes(StandardCharsets.UTF_8),
        MediaType.get(mediaType)));
    assertEquals(200, answer.status());
    assertEquals("x", answer.json().get("result").asText());
  }

  @Test
  void bodyOverTheLimitWithContentLengthIsPayloadTooLargeAndRunsNothing() {
    int before = CALLS.get();
    ServerHarness.Answer answer = harness.post(echoCall("a".repeat(2 * LIMIT)));
    assertEquals(413, answer.status());
    assertEquals(before, CALLS.get());
  }

  @Test
  void chunkedBodyOverTheLimitIsPayloadTooLargeAndRunsNothing() {
    int before = CALLS.get();
    byte[] bytes = echoCall("b".repeat(2 * LIMIT)).getBytes(StandardCharsets.UTF_8);
    RequestBody chunked = new RequestBody() {
      @Override
      public MediaType contentType() {
        return ServerHarness.JSON;
      }

      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        for (int i = 0; i < bytes.length; i += 100) {
          sink.write(bytes, i, Math.min(100, bytes.length - i));
          sink.flush();
        }
      }
    };
    ServerHarness.Answer answer = post(chunked);
    assertEquals(413, answer.status());
    assertEquals(before, CALLS.get());
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() {
    String call = echoCall("");
    String text = "c".repeat(LIMIT - call.length());
    ServerHarness.Answer answer = harness.post(echoCall(text));
    assertEquals(200, answer.status());
    assertEquals(text, answer.json().get("result").asText());
  }

  @Test
  void otherPathsAreNotFound() {
    ServerHarness.Answer answer = ServerHarness.send(new Request.Builder()
        .url(harness.server.uri() + "/other").post(RequestBody.create(echoCall("x"), ServerHarness.JSON)).build());
    assertEquals(404, answer.status());
  }

  @Test
  void errorStatusesCarryAPlainTextExplanation() {
    ServerHarness.Answer answer = post(RequestBody.create(echoCall("x"), MediaType.get("text/plain")));
    assertTrue(answer.body().contains("application/json"), answer.body());
  }
}
